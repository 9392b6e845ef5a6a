using Anvil.Registry.Predictions;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Tests.Conformance;

public abstract class FeedbackTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    [Fact]
    public void FeedbackIsStoredAndASecondOneReplacesTheFirst()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 2);
        Ledger.Record([request]);
        var prediction = request.Predictions[0];

        var first = Feedback.Add(acme.Organization.Id, prediction.Id, 3, "dress", "looks like a dress");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var other = Keys.Create("acme", "pro").Key;
        var second = Feedback.Add(acme.Organization.Id, prediction.Id, 4, "coat", null, other.Id);

        Assert.Equal(new Feedback(prediction.Id, acme.Organization.Id, 3, "dress", "looks like a dress", Start), first);
        Assert.Equal(new Feedback(prediction.Id, acme.Organization.Id, 4, "coat", null, Start.AddMinutes(1), other.Id), second); // the key that sent it, for retraining's per-key screen
        var (stored, logged) = Assert.Single(Feedback.List(acme.Organization.Id));
        Assert.Equal(second, stored);
        Assert.Equal(other.Id, Assert.Single(new LoggedInputs(Db, Clock).Labelled(acme.Organization.Id, "cnn")).Feedback!.KeyId);
        Assert.Equal(prediction.Input, logged.Input);
        Assert.Equal(prediction.Id, logged.Id);
    }

    [Fact]
    public void FeedbackOnAnotherOrganizationsOrAnUnknownPredictionIsNull()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var beta = NewCustomer("beta", Plans.Get("pro"));
        var request = Request(acme, "r1", 1);
        Ledger.Record([request]);

        Assert.Null(Feedback.Add(beta.Organization.Id, request.Predictions[0].Id, 1, "shirt", null));
        Assert.Null(Feedback.Add(acme.Organization.Id, "no-such-prediction", 1, "shirt", null));
        Assert.Empty(Feedback.List(acme.Organization.Id));
        Assert.Empty(Feedback.List(beta.Organization.Id));
    }

    [Fact]
    public void FeedbackListsFilterByModelForRetraining()
    {
        var cnn = NewCustomer("acme", Plans.Get("pro"));
        var rnn = NewCustomer("acme", Plans.Get("pro"), model: "rnn");
        var a = Request(cnn, "a", 1);
        var b = Request(rnn, "b", 1);
        Ledger.Record([a, b]);
        Feedback.Add(cnn.Organization.Id, a.Predictions[0].Id, 1, "one", null);
        Feedback.Add(cnn.Organization.Id, b.Predictions[0].Id, 2, "two", null);

        Assert.Equal(2, Feedback.List(cnn.Organization.Id).Count);
        Assert.Equal([a.Predictions[0].Id], Feedback.List(cnn.Organization.Id, "cnn").Select(f => f.Prediction.Id));
        Assert.Equal([b.Predictions[0].Id], Feedback.List(cnn.Organization.Id, "rnn").Select(f => f.Feedback.PredictionId));
    }

    [Fact]
    public void CommentLongerThan2000CharactersIsRefused()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 1);
        Ledger.Record([request]);

        Assert.NotNull(Feedback.Add(acme.Organization.Id, request.Predictions[0].Id, 1, "x", new string('a', 2_000)));
        Assert.Throws<ArgumentException>(() => Feedback.Add(acme.Organization.Id, request.Predictions[0].Id, 1, "x", new string('a', 2_001)));
        Assert.Equal(2_000, Feedback.List(acme.Organization.Id)[0].Feedback.Comment!.Length);
    }

    [Fact]
    public void CommentOrIdWithNulIsRefusedClearlyOnBothDatabases()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 1);
        Ledger.Record([request]);

        var error = Assert.Throws<ArgumentException>(() => Feedback.Add(acme.Organization.Id, request.Predictions[0].Id, 1, "one", "a\0b"));
        Assert.Contains("NUL character", error.Message, StringComparison.Ordinal);
        Assert.Null(Feedback.Add(acme.Organization.Id, request.Predictions[0].Id + "\0", 1, "one", null));
        Assert.Empty(Feedback.List(acme.Organization.Id));
    }
}

public sealed class SqliteFeedbackTests() : FeedbackTests(new SqliteBackend());

public sealed class PostgresFeedbackTests() : FeedbackTests(new PostgresBackend());
