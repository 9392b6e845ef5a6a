using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;
using Npgsql;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// Two serving replicas (two <see cref="Anvil.Registry.Storage.RegistryDatabase"/> instances) group-committing on one real
/// PostgreSQL database, with batches built so that key-id order crosses between them: replica A's batch has an
/// org-X key below an org-Y key, replica B's the other way round, and both carry the same request ids. The
/// review's probe (M6): ordering by key id alone made them wait on each other's usage_daily rows and request
/// ids in a cycle (40P01).
/// </summary>
public sealed class PostgresLedgerLockOrderTests() : RegistryConformanceTest(new PostgresBackend())
{
    private const int Rounds = 30;

    [Fact]
    public async Task TwoReplicasRecordingCrossedBatchesNeverDeadlockAndBillEachRequestOnce()
    {
        var plan = new Plan("roomy", 100_000, 1_000_000, 1_000);
        var x = NewCustomer("org-x", plan);
        var y = NewCustomer("org-y", plan);
        var xKeys = KeysOf(x);
        var yKeys = KeysOf(y);
        while (!Crossed(xKeys, yKeys, xBelowY: true, out _) || !Crossed(xKeys, yKeys, xBelowY: false, out _))
        {
            xKeys.Add(Keys.Create("org-x", plan.Name).Key); // 4 random ids per org almost always cross; make sure they do
        }

        Crossed(xKeys, yKeys, xBelowY: true, out var pairA);
        Crossed(xKeys, yKeys, xBelowY: false, out var pairB);
        var database = new NpgsqlConnectionStringBuilder(((PostgresBackend)Backend).ConnectionString).Database!;
        Admin($"ALTER DATABASE {database} SET deadlock_timeout = '20ms'"); // detect a cycle quickly (replicas open after this)
        Admin("CREATE FUNCTION slow_rollup() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$", database);
        Admin("CREATE TRIGGER slow_rollup BEFORE INSERT OR UPDATE ON usage_daily FOR EACH ROW EXECUTE FUNCTION slow_rollup()", database);
        var databases = new[] { Backend.OpenReplica(Clock), Backend.OpenReplica(Clock) };
        var replicas = databases.Select(replica => new UsageLedger(replica, Clock)).ToArray();

        using var round = new Barrier(2);
        var results = Enumerable.Range(0, 2).Select(replica => Task.Factory.StartNew(
            () =>
            {
                var (xKey, yKey) = replica == 0 ? pairA : pairB;
                var outcomes = new List<(UsageRequest Request, UsageOutcome Outcome)>();
                var errors = new List<Exception>();
                for (var r = 0; r < Rounds; r++)
                {
                    UsageRequest[] batch = [Reserved(replicas[replica], x with { Key = xKey }, $"x-{r}"), Reserved(replicas[replica], y with { Key = yKey }, $"y-{r}")];
                    round.SignalAndWait();
                    try
                    {
                        outcomes.AddRange(batch.Zip(replicas[replica].Record(batch)));
                    }
                    catch (PostgresException e)
                    {
                        errors.Add(e);
                    }
                }

                return (Outcomes: outcomes, Errors: errors);
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(results);

        var errors = results.SelectMany(t => t.Result.Errors).Select(e => e.Message).ToList();
        var outcomes = results.SelectMany(t => t.Result.Outcomes).ToList();
        Console.WriteLine($"lock order: {errors.Count} failed groups ({string.Join("; ", errors.Distinct())}), {outcomes.Count} outcomes");
        Assert.Empty(errors);
        Assert.All(outcomes, o => Assert.Contains(o.Outcome.Status, new[] { UsageOutcomeStatus.Accepted, UsageOutcomeStatus.Replayed }));
        var accepted = outcomes.Where(o => o.Outcome.Status == UsageOutcomeStatus.Accepted).Select(o => o.Request.RequestId).Order().ToList();
        Assert.Equal(Enumerable.Range(0, Rounds).SelectMany(r => new[] { $"x-{r}", $"y-{r}" }).Order(), accepted);
        foreach (var customer in new[] { x, y })
        {
            Assert.Equal(Rounds, Ledger.BilledPredictions(customer.Organization.Id, 2025, 3));
            Assert.Equal(Rounds, Ledger.UsageByDay(customer.Organization.Id, new DateOnly(2025, 3, 14), new DateOnly(2025, 3, 14)).Single().Requests);
        }

        Assert.Equal(2L * Rounds, Db.Read(session => Convert.ToInt64(session.Scalar("SELECT COUNT(*) FROM usage_events"), System.Globalization.CultureInfo.InvariantCulture)));
        // replays gave their reservations back: the month counters hold exactly what was billed
        Assert.Equal(2L * Rounds, Db.Read(session => Convert.ToInt64(session.Scalar("SELECT SUM(used) FROM usage_counters WHERE bucket = '2025-03'"), System.Globalization.CultureInfo.InvariantCulture)));
        var deadlocks = DeadlocksDetected(database, [.. databases, Db]);
        Console.WriteLine($"lock order: {deadlocks} deadlocks detected");
        Assert.Equal(0, deadlocks);
    }

    private List<ApiKey> KeysOf(Customer customer) =>
        [customer.Key, .. Enumerable.Range(0, 3).Select(_ => Keys.Create(customer.Organization.Name, customer.Plan.Name).Key)];

    /// <summary>A pair (x key, y key) whose key ids sort with x first (<paramref name="xBelowY"/>) or y first.</summary>
    private static bool Crossed(List<ApiKey> xKeys, List<ApiKey> yKeys, bool xBelowY, out (ApiKey X, ApiKey Y) pair)
    {
        foreach (var xKey in xKeys)
        {
            foreach (var yKey in yKeys.Where(yKey => string.CompareOrdinal(xKey.Id, yKey.Id) < 0 == xBelowY))
            {
                pair = (xKey, yKey);
                return true;
            }
        }

        pair = default;
        return false;
    }

    private static UsageRequest Reserved(UsageLedger ledger, Customer customer, string requestId) =>
        Request(customer, requestId) with { Reservation = ledger.Reserve(customer.Key, customer.Plan, 1) };

    private static void Admin(string sql, string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString);
        if (database is not null)
            builder.Database = database;
        using var connection = new NpgsqlConnection(builder.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// pg_stat_database.deadlocks of the test database, read once every backend on it has exited (a backend
    /// flushes its statistics when it exits), so a deadlock that a retry hid still counts.
    /// </summary>
    private static long DeadlocksDetected(string database, Anvil.Registry.Storage.RegistryDatabase[] opened)
    {
        foreach (var replica in opened)
            replica.Dispose(); // closes its pooled connections: their backends exit and flush their statistics
        using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        connection.Open();
        for (var wait = 0; wait < 200 && Scalar(connection, $"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{database}'") > 0; wait++)
            Thread.Sleep(50); // backends exit asynchronously after their connection closes
        return Scalar(connection, $"SELECT deadlocks FROM pg_stat_database WHERE datname = '{database}'");
    }

    private static long Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
