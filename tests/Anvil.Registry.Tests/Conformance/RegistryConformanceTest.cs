using System.Runtime.InteropServices;
using Anvil.Registry.Models;
using Anvil.Registry.Predictions;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// The base of the registry conformance suite: every test is written once, in an abstract class deriving
/// from this one, and runs on SQLite and on PostgreSQL through two one-line subclasses.
/// </summary>
public abstract class RegistryConformanceTest : IDisposable
{
    /// <summary>30 s into a minute, mid-month: boundaries are reached by moving the clock on purpose.</summary>
    protected static readonly DateTimeOffset Start = new(2025, 3, 14, 12, 0, 30, TimeSpan.Zero);

    protected RegistryConformanceTest(RegistryBackend backend)
    {
        Backend = backend;
        Db = backend.OpenReplica(Clock);
        Organizations = new Organizations(Db, Clock);
        Plans = new Plans(Db);
        Keys = new ApiKeys(Db, Clock);
        Models = new ModelCatalog(Db, Clock);
        Ledger = new UsageLedger(Db, Clock);
        Feedback = new FeedbackStore(Db, Clock);
    }

    protected FakeTimeProvider Clock { get; } = new(Start);

    protected RegistryBackend Backend { get; }

    protected RegistryDatabase Db { get; }

    protected Organizations Organizations { get; }

    protected Plans Plans { get; }

    protected ApiKeys Keys { get; }

    protected ModelCatalog Models { get; }

    protected UsageLedger Ledger { get; }

    protected FeedbackStore Feedback { get; }

    /// <summary>
    /// A customer of <paramref name="organization"/> (created when new) with a fresh key on
    /// <paramref name="plan"/> and a version of <paramref name="model"/> (registered when new).
    /// </summary>
    protected Customer NewCustomer(string organization, Plan plan, string model = "cnn")
    {
        Plans.Save(plan);
        var org = Organizations.Find(organization) ?? Organizations.Create(organization);
        var key = Keys.Create(organization, plan.Name).Key;
        var version = Models.Resolve(org.Id, model, "champion") ?? Models.AddVersion(org.Id, model, $"/models/{model}", "sha256:m", null);
        Models.SetAlias(org.Id, model, "champion", version.Version);
        return new Customer(org, key, plan, version);
    }

    /// <summary>
    /// A request of <paramref name="predictions"/> 1×2×2 inputs. The body hash defaults to one derived from the
    /// request id, so the same id and count make the same body.
    /// </summary>
    protected static UsageRequest Request(Customer customer, string requestId, int predictions = 1, string? hash = null, string? response = null)
    {
        var records = Enumerable.Range(0, predictions).Select(i => new PredictionRecord(
            $"{customer.Organization.Name}-{requestId}-{i}-{Guid.NewGuid():N}", customer.Model.ModelName, customer.Model.Version,
            MemoryMarshal.AsBytes(new float[] { i, 0.5f, -1.25f, float.Epsilon }.AsSpan()).ToArray(), "1,2,2", i % 10, $"class-{i % 10}",
            [0.125f, 0.875f, 1f / 3])).ToList();
        return new UsageRequest(
            customer.Key, customer.Plan, requestId, hash ?? $"body-of-{requestId}-{predictions}", customer.Model.ModelId,
            customer.Model.ModelName, customer.Model.Version, records, response ?? $"{{\"request\":\"{requestId}\"}}");
    }

    public void Dispose()
    {
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Every value in every row of every table, as text (blobs decoded as UTF-8 and as hex).</summary>
    protected static List<string> DumpAllValues(RegistryDatabase database) => database.Read(session =>
    {
        var tables = session.Query(
            database.Backend == "sqlite"
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
            reader => reader.GetString(0));
        var values = new List<string>();
        foreach (var table in tables)
        {
            session.Query($"SELECT * FROM {table}", reader =>
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    switch (reader.GetValue(i))
                    {
                        case byte[] bytes:
                            values.Add(System.Text.Encoding.UTF8.GetString(bytes));
                            values.Add(Convert.ToHexString(bytes));
                            break;
                        case var value:
                            values.Add(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                            break;
                    }
                }

                return 0;
            });
        }

        Assert.Contains("api_keys", tables);
        return values;
    });
}
