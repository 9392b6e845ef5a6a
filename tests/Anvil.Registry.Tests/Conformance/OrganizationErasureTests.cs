using Anvil.Registry.Predictions;
using Anvil.Registry.Privacy;
using Anvil.Registry.Runs;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Tuning;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// <c>orgs erase</c>: the organization's rows, keys and folders go in one transaction, its billing records and invoices stay
/// (without inputs or answers), another organization's data and shared version folders are untouched, and it cannot be used again.
/// </summary>
public abstract class OrganizationErasureTests(RegistryBackend backend) : RegistryConformanceTest(backend), IDisposable
{
    private readonly TempDirectory _home = new();

    private AnvilHome Home => new(_home.Path);

    private OrganizationErasure Erasure => new(Db, Home, Clock);

    [Fact]
    public void EraseDeletesTheOrganizationsDataKeepsItsInvoiceAndLeavesOthersAlone()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var beta = NewCustomer("beta", Plans.Get("pro"));
        var secret = Keys.Create("acme", "pro", name: "ada's laptop").Secret;
        var betaSecret = Keys.Create("beta", "pro").Secret;
        Organizations.AddMember("acme", "ada@example.com", Role.Owner);
        new WebSessions(Db, Clock).Open(acme.Key);
        var acmeRequest = Request(acme, "a1", 2, response: """{"secret-answer":"acme"}""");
        var betaRequest = Request(beta, "b1", 1);
        Ledger.Record([acmeRequest, betaRequest]);
        Feedback.Add(acme.Organization.Id, acmeRequest.Predictions[0].Id, 3, "class-3", "acme's comment", acme.Key.Id);
        Feedback.Add(beta.Organization.Id, betaRequest.Predictions[0].Id, 1, "class-1", null, beta.Key.Id);
        var runs = new RunStore(Db, Home, Clock);
        var run = runs.CreateRun("acme-run", new Dictionary<string, string> { ["lr"] = "0.1" }, "data-hash", organizationId: acme.Organization.Id);
        runs.Finish(run.Id, RunStatus.Finished);
        var study = new StudyStore(Db, Clock).Open("acme-study", "{}");
        var trials = new TrialStore(Db, Clock, TimeSpan.FromMinutes(5));
        var number = trials.Lease(study.Id, "w1", 1, (_, _) => new Dictionary<string, double> { ["lr"] = 0.1 })!.Trial.Number;
        Assert.True(trials.AttachRun(study.Id, number, "w1", run.Id));
        var invoice = Ledger.Invoice(acme.Organization.Id, 2025, 3);

        var before = DumpAllValues(Db);
        Assert.NotEqual("{}", StoredAnswer(acme.Organization.Id)); // the sealed answer (encryption at rest: not greppable in the dump)
        Assert.Equal(2, LiveDataKeys()); // acme's and beta's, made on their first sealed write
        Assert.Contains(before, v => v.Contains("laptop", StringComparison.Ordinal));
        Assert.Contains("ada@example.com", before);
        var preview = Erasure.Preview("acme");
        Assert.Equal(2, preview.Deleted["predictions"]);
        Assert.Equal(1, preview.Deleted["feedback"]);
        Assert.NotNull(Keys.Authenticate(secret).Key); // a preview changes nothing

        var report = Erasure.Erase("acme");

        Assert.False(report.AlreadyErased);
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["aliases"] = 1, ["api_keys_revoked"] = 2, ["feedback"] = 1, ["members"] = 1, ["models"] = 0, ["predictions"] = 2, ["runs"] = 1,
                ["stored_answers"] = 1, ["studies"] = 1, ["trials"] = 1, ["versions"] = 1, ["web_sessions"] = 1,
            },
            report.Deleted);
        Assert.Equal(new Dictionary<string, long> { ["billed_model_names"] = 1, ["usage_days"] = 1, ["usage_events"] = 1 }, report.Kept);
        Assert.Equal(1, report.FoldersDeleted); // the run's folder; the fake version folders lie outside the home's models/

        var after = Ledger.Invoice(acme.Organization.Id, 2025, 3);
        Assert.Equal((invoice.OrganizationName, invoice.TotalMicros), (after.OrganizationName, after.TotalMicros));
        Assert.Equal(invoice.Lines, after.Lines);
        Assert.Null(Ledger.FindPrediction(acme.Organization.Id, acmeRequest.Predictions[0].Id));
        Assert.Empty(Feedback.List(acme.Organization.Id));
        Assert.Equal(AuthenticationStatus.Unknown, Keys.Authenticate(secret).Status);
        Assert.All(Keys.List("acme"), key => Assert.NotNull(key.RevokedAt));
        Assert.Empty(Organizations.Members("acme"));
        Assert.Empty(Models.Versions(acme.Organization.Id, "cnn")); // the model's row stays only as what the usage events name
        Assert.Empty(Assert.Single(Models.List(acme.Organization.Id)).Aliases);
        Assert.Empty(runs.ListRuns(10, organizationId: acme.Organization.Id));
        Assert.False(Directory.Exists(Path.GetDirectoryName(run.ArtifactsDirectory)));
        Assert.Contains("No study is named", Assert.Throws<RegistryException>(() => new StudyStore(Db, Clock).Get("acme-study")).Message, StringComparison.Ordinal);
        Assert.Equal("{}", StoredAnswer(acme.Organization.Id));
        Assert.Equal(1, LiveDataKeys()); // acme's key was destroyed (crypto-shredding), beta's is untouched
        Assert.Equal(0L, DbReading.ToLong(Db.Read(session => session.Scalar(
            "SELECT COUNT(*) FROM data_keys WHERE organization_id = @org AND wrapped IS NOT NULL", ("@org", acme.Organization.Id)))));
        var values = DumpAllValues(Db);
        Assert.DoesNotContain(values, v => v.Contains("secret-answer", StringComparison.Ordinal) || v.Contains("acme's comment", StringComparison.Ordinal)
            || v.Contains("ada@example.com", StringComparison.Ordinal) || v.Contains("laptop", StringComparison.Ordinal));

        // Another organization: every row and key as before.
        Assert.NotNull(Ledger.FindPrediction(beta.Organization.Id, betaRequest.Predictions[0].Id));
        Assert.Single(Feedback.List(beta.Organization.Id));
        Assert.Equal(AuthenticationStatus.Valid, Keys.Authenticate(betaSecret).Status);
        Assert.Equal(1, Models.Resolve(beta.Organization.Id, "cnn", "champion")!.Version);
        Assert.Equal(1, Ledger.BilledPredictions(beta.Organization.Id, 2025, 3));
    }

    private string StoredAnswer(string organizationId) =>
        (string)Db.Read(session => session.Scalar("SELECT response_json FROM usage_events WHERE organization_id = @org", ("@org", organizationId)))!;

    private long LiveDataKeys() => DbReading.ToLong(Db.Read(session => session.Scalar("SELECT COUNT(*) FROM data_keys WHERE wrapped IS NOT NULL")));

    [Fact]
    public void AnErasedOrganizationCannotBeUsedAgainAndASecondEraseIsANoOp()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        Erasure.Erase("acme");

        Assert.Contains("was erased on 2025-03-14", Assert.Throws<RegistryException>(() => Organizations.Get("acme")).Message, StringComparison.Ordinal);
        Assert.Contains("was erased", Assert.Throws<RegistryException>(() => Keys.Create("acme", "pro")).Message, StringComparison.Ordinal);
        Assert.Contains("was erased", Assert.Throws<RegistryException>(() => Organizations.AddMember("acme", "bo@example.com", Role.Viewer)).Message, StringComparison.Ordinal);
        Assert.Contains("was erased", Assert.Throws<RegistryException>(() => Models.AddVersion(acme.Organization.Id, "cnn", "/models/x", "sha256:x", null)).Message, StringComparison.Ordinal);
        Assert.Contains("was erased", Assert.Throws<RegistryException>(
            () => new RunStore(Db, Home, Clock).CreateRun("r", new Dictionary<string, string>(), "h", organizationId: acme.Organization.Id)).Message, StringComparison.Ordinal);
        Assert.NotNull(Organizations.GetIncludingErased("acme").ErasedAt);

        Assert.True(Erasure.Erase("acme").AlreadyErased);
        Assert.True(Erasure.Preview("acme").AlreadyErased);
        Assert.Contains("No organization 'nobody'", Assert.Throws<RegistryException>(() => Erasure.Preview("nobody")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunStillRunningRefusesTheEraseUntilItsHeartbeatIsStale()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var run = new RunStore(Db, Home, Clock).CreateRun("training", new Dictionary<string, string>(), "h", organizationId: acme.Organization.Id);

        Assert.Contains($"still running ({run.Id[..12]})", Assert.Throws<RegistryException>(() => Erasure.Erase("acme")).Message, StringComparison.Ordinal);
        Assert.NotNull(Organizations.Get("acme")); // nothing changed
        Assert.Single(Keys.List("acme"), key => key.RevokedAt is null);

        Clock.Advance(RunStore.HeartbeatTimeout + TimeSpan.FromSeconds(1)); // its process died
        Assert.Equal(1, Erasure.Erase("acme").Deleted["runs"]);
    }

    [Fact]
    public void EraseDeletesVersionFoldersNoOtherOrganizationUsesAndKeepsSharedOnes()
    {
        var models = Home.CreatePrivateDirectory("models");
        var own = Directory.CreateDirectory(Path.Combine(models, "sha256-own")).FullName;
        var shared = Directory.CreateDirectory(Path.Combine(models, "sha256-shared")).FullName;
        File.WriteAllText(Path.Combine(shared, "model.onnx"), "onnx");
        var acme = Organizations.Create("acme");
        var beta = Organizations.Create("beta");
        Models.AddVersion(acme.Id, "cnn", own, "sha256:own", null);
        Models.AddVersion(acme.Id, "cnn", shared, "sha256:shared", null);
        Models.AddVersion(beta.Id, "shoes", shared, "sha256:shared", null);

        var report = Erasure.Erase("acme");

        Assert.Equal((1, 1), (report.FoldersDeleted, report.SharedFoldersKept));
        Assert.Equal(2, report.Deleted["versions"]);
        Assert.Equal(1, report.Deleted["models"]); // never billed, so nothing refers to it
        Assert.False(Directory.Exists(own));
        Assert.Equal("onnx", File.ReadAllText(Path.Combine(shared, "model.onnx")));
        Assert.Equal(shared, Models.FindVersion(beta.Id, "shoes", 1)!.Directory);
    }

    [Fact]
    public void AllPredictionsOfAnOrganizationArePagedOldestFirstPerModelWithTheirFeedback()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var acmeRnn = NewCustomer("acme", Plans.Get("pro"), model: "rnn");
        var beta = NewCustomer("beta", Plans.Get("pro"));
        var requests = Enumerable.Range(0, 3).Select(i =>
        {
            var request = Request(i == 1 ? acmeRnn : acme, $"a{i}", 2); // two predictions of the same instant each
            Ledger.Record([request]);
            Clock.Advance(TimeSpan.FromSeconds(1));
            return request;
        }).ToList();
        Ledger.Record([Request(beta, "b", 3)]);
        Feedback.Add(acme.Organization.Id, requests[2].Predictions[0].Id, 2, "class-2", null);

        var all = new PredictionLog(Db, Clock).All(acme.Organization.Id, pageSize: 3).ToList(); // a page ends between two of an instant

        Assert.Equal(requests.SelectMany(r => r.Predictions.Select(p => p.Id)).Order(StringComparer.Ordinal), all.Select(p => p.Prediction.Id).Order(StringComparer.Ordinal));
        Assert.Equal(
            all.OrderBy(p => p.Prediction.ModelName, StringComparer.Ordinal).ThenBy(p => p.CreatedAt).ThenBy(p => p.Prediction.Id, StringComparer.Ordinal).Select(p => p.Prediction.Id),
            all.Select(p => p.Prediction.Id));
        Assert.Equal(["cnn", "cnn", "cnn", "cnn", "rnn", "rnn"], all.Select(p => p.Prediction.ModelName));
        Assert.Equal(requests[2].Predictions[0].Id, Assert.Single(all, p => p.Feedback is not null).Prediction.Id);
        Assert.Equal(requests[0].Predictions[0].Input, all.Single(p => p.Prediction.Id == requests[0].Predictions[0].Id).Prediction.Input);
    }

    public new void Dispose()
    {
        base.Dispose();
        _home.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteOrganizationErasureTests() : OrganizationErasureTests(new SqliteBackend());

public sealed class PostgresOrganizationErasureTests() : OrganizationErasureTests(new PostgresBackend());
