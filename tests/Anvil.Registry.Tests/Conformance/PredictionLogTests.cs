using Anvil.Registry.Predictions;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>Logged inputs follow their model's policy: sampled by prediction id, pruned past retention, billing untouched.</summary>
public abstract class PredictionLogTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private PredictionLog Log => new(Db, Clock);

    [Fact]
    public void ModelsLogEverythingForThirtyDaysUntilTheirPolicyIsSet()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        Assert.Equal(LogPolicy.Default, Log.Policy(acme.Organization.Id, "cnn"));
        Log.SetPolicy(acme.Organization.Id, "cnn", new LogPolicy(0.25, 7));
        Assert.Equal(new LogPolicy(0.25, 7), Log.Policy(acme.Organization.Id, "cnn"));
        Assert.Null(Log.Policy(acme.Organization.Id, "nope"));
        Assert.Contains("No model 'nope'", Assert.Throws<RegistryException>(() => Log.SetPolicy(acme.Organization.Id, "nope", LogPolicy.Default)).Message, StringComparison.Ordinal);
        Assert.Contains("between 0", Assert.Throws<RegistryException>(() => Log.SetPolicy(acme.Organization.Id, "cnn", new LogPolicy(1.5, 7))).Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 36,500 days", Assert.Throws<RegistryException>(() => Log.SetPolicy(acme.Organization.Id, "cnn", new LogPolicy(1, 0))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsampledPredictionsAreBilledAndKeptWithoutTheirInput()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        Log.SetPolicy(acme.Organization.Id, "cnn", new LogPolicy(0, 30));
        var request = Request(acme, "r1", 3);
        Ledger.Record([request]);

        Assert.Equal(3, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        var logged = Ledger.FindPrediction(acme.Organization.Id, request.Predictions[0].Id)!;
        Assert.Empty(logged.Input);
        Assert.Equal(request.Predictions[0].Label, logged.Label);
        Assert.NotNull(Feedback.Add(acme.Organization.Id, request.Predictions[0].Id, 1, "class-1", null)); // a label without its input is still kept
    }

    [Fact]
    public void SamplingIsDecidedByThePredictionIdAtTheConfiguredRate()
    {
        var policy = new LogPolicy(0.3, 30);
        var ids = Enumerable.Range(0, 20_000).Select(i => $"pred_{i:x24}").ToList();
        var logged = ids.Count(policy.ShouldLog);
        Assert.InRange(logged, 5_700, 6_300); // 30% of 20,000 is 6,000; a binomial's sd is 65, so ±300 is ±4.6 sd
        Assert.Equal(ids.Select(policy.ShouldLog), ids.Select(new LogPolicy(0.3, 1).ShouldLog)); // the same ids, the same decisions
    }

    [Fact]
    public void PruneDeletesPredictionsPastRetentionAndTheirFeedbackButKeepsBilling()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var beta = NewCustomer("beta", Plans.Get("pro"));
        Log.SetPolicy(acme.Organization.Id, "cnn", new LogPolicy(1, 7));
        var old = Request(acme, "old", 2);
        var betaOld = Request(beta, "beta-old", 1);
        Ledger.Record([old, betaOld]);
        Feedback.Add(acme.Organization.Id, old.Predictions[0].Id, 1, "class-1", "kept until pruned");
        Clock.Advance(TimeSpan.FromDays(8));
        var recent = Request(acme, "recent", 1);
        Ledger.Record([recent]);

        Assert.Equal(2, Log.Prune(acme.Organization.Id));

        Assert.Null(Ledger.FindPrediction(acme.Organization.Id, old.Predictions[0].Id));
        Assert.NotNull(Ledger.FindPrediction(acme.Organization.Id, recent.Predictions[0].Id));
        Assert.NotNull(Ledger.FindPrediction(beta.Organization.Id, betaOld.Predictions[0].Id)); // another organization, and 30 days
        Assert.Empty(Feedback.List(acme.Organization.Id));
        Assert.Equal(3, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        Assert.Equal(2L, Db.Read(session => session.Scalar( // the billing event stays (its answer is past the 24 h replay window)
            "SELECT quantity FROM usage_events WHERE organization_id = @org AND replay_request_id = 'old'", ("@org", acme.Organization.Id))));
        Assert.Equal(0, Log.Prune());
    }
}

public sealed class SqlitePredictionLogTests() : PredictionLogTests(new SqliteBackend());

public sealed class PostgresPredictionLogTests() : PredictionLogTests(new PostgresBackend());
