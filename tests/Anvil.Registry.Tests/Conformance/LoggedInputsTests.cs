using Anvil.Registry.Predictions;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>What retraining and shadow evaluation read: sampled inputs within retention, feedback counted once per prediction.</summary>
public abstract class LoggedInputsTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private LoggedInputs Inputs => new(Db, Clock);

    [Fact]
    public void DuplicateFeedbackOnOnePredictionCountsOnceWithTheLastLabel()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 2);
        Ledger.Record([request]);
        var id = request.Predictions[0].Id;
        Feedback.Add(acme.Organization.Id, id, 3, "class-3", null);
        Feedback.Add(acme.Organization.Id, id, 3, "class-3", null);
        Feedback.Add(acme.Organization.Id, id, 4, "class-4", "second thoughts");

        var labelled = Assert.Single(Inputs.Labelled(acme.Organization.Id, "cnn"));
        Assert.Equal(id, labelled.Prediction.Id);
        Assert.Equal(4, labelled.Feedback!.Label);
        Assert.Equal(request.Predictions[0].Input, labelled.Prediction.Input);
    }

    [Fact]
    public void LoggedInputsPastTheModelsRetentionAreNotUsedEvenBeforePrune()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        new PredictionLog(Db, Clock).SetPolicy(acme.Organization.Id, "cnn", new LogPolicy(1, 2));
        var old = Request(acme, "old", 1);
        Ledger.Record([old]);
        Feedback.Add(acme.Organization.Id, old.Predictions[0].Id, 1, "class-1", null);
        Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));
        var fresh = Request(acme, "fresh", 1);
        Ledger.Record([fresh]);
        Feedback.Add(acme.Organization.Id, fresh.Predictions[0].Id, 2, "class-2", null);

        Assert.Equal([fresh.Predictions[0].Id], Inputs.Labelled(acme.Organization.Id, "cnn").Select(i => i.Prediction.Id));
        Assert.Equal([fresh.Predictions[0].Id], Inputs.Recent(acme.Organization.Id, "cnn", 10).Select(i => i.Prediction.Id));
        Assert.Equal(2, Feedback.List(acme.Organization.Id).Count); // still stored until prune, only not used
    }

    [Fact]
    public void UnsampledInputsAndOtherModelsAndOrganizationsAreLeftOut()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var rnn = NewCustomer("acme", Plans.Get("pro"), model: "rnn");
        var beta = NewCustomer("beta", Plans.Get("pro"));
        var log = new PredictionLog(Db, Clock);
        var kept = Request(acme, "kept", 2);
        Ledger.Record([kept]);
        log.SetPolicy(acme.Organization.Id, "cnn", new LogPolicy(0, 30));
        var unsampled = Request(acme, "unsampled", 1);
        var other = Request(rnn, "other", 1);
        var foreign = Request(beta, "foreign", 1);
        Ledger.Record([unsampled, other, foreign]);
        foreach (var (customer, request) in new[] { (acme, kept), (acme, unsampled), (rnn, other), (beta, foreign) })
            Feedback.Add(customer.Organization.Id, request.Predictions[0].Id, 1, "class-1", null);

        Assert.Equal([kept.Predictions[0].Id], Inputs.Labelled(acme.Organization.Id, "cnn").Select(i => i.Prediction.Id));
        var recent = Inputs.Recent(acme.Organization.Id, "cnn", 10);
        Assert.Equal(kept.Predictions.Select(p => p.Id).OrderDescending(StringComparer.Ordinal), recent.Select(i => i.Prediction.Id));
        Assert.Equal(1, recent.Count(i => i.Feedback is not null));
        Assert.Single(Inputs.Recent(acme.Organization.Id, "cnn", 1));
        Assert.Equal([other.Predictions[0].Id], Inputs.Labelled(acme.Organization.Id, "rnn").Select(i => i.Prediction.Id));
        Assert.Equal([foreign.Predictions[0].Id], Inputs.Labelled(beta.Organization.Id, "cnn").Select(i => i.Prediction.Id));
        Assert.Throws<RegistryException>(() => Inputs.Labelled(beta.Organization.Id, "rnn"));
    }
}

public sealed class SqliteLoggedInputsTests() : LoggedInputsTests(new SqliteBackend());

public sealed class PostgresLoggedInputsTests() : LoggedInputsTests(new PostgresBackend());
