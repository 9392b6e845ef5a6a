using Anvil.Registry.Predictions;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>GET /v1/feedback and `feedback list` read through keyset pages, filtered by model and label, per organization.</summary>
public abstract class FeedbackPagesTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private FeedbackPages Pages => new(Db);

    [Fact]
    public void PagesWalkEveryFeedbackOnceNewestFirstWithoutGapsOrRepeats()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 7);
        Ledger.Record([request]);
        foreach (var prediction in request.Predictions)
        {
            Feedback.Add(acme.Organization.Id, prediction.Id, 1, "class-1", null);
            if (prediction != request.Predictions[3])
                Clock.Advance(TimeSpan.FromSeconds(1)); // two share a time: the id breaks the tie
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = Pages.Read(acme.Organization.Id, null, null, cursor, 3);
            seen.AddRange(page.Items.Select(i => i.Feedback.PredictionId));
            if (page.NextCursor is not null) // the cursor of the page's last item, as the OpenAPI example builds one
                Assert.Equal(FeedbackPages.Cursor(page.Items[^1].Feedback.CreatedAt, page.Items[^1].Feedback.PredictionId), page.NextCursor);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(request.Predictions.Select(p => p.Id).Reverse().Take(3), seen.Take(3));
        Assert.Equal(request.Predictions.Select(p => p.Id).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        var first = Pages.Read(acme.Organization.Id, null, null, null, 1).Items[0];
        Assert.Equal(("cnn", acme.Model.Version, "class-6"), (first.ModelName, first.ModelVersion, first.PredictedLabelName));
    }

    [Fact]
    public void PagesFilterByModelAndLabelAndNeverShowAnotherOrganization()
    {
        var cnn = NewCustomer("acme", Plans.Get("pro"));
        var rnn = NewCustomer("acme", Plans.Get("pro"), model: "rnn");
        var beta = NewCustomer("beta", Plans.Get("pro"));
        var a = Request(cnn, "a", 3);
        var b = Request(rnn, "b", 1);
        var c = Request(beta, "c", 1);
        Ledger.Record([a, b, c]);
        Feedback.Add(cnn.Organization.Id, a.Predictions[0].Id, 1, "shirt", null);
        Feedback.Add(cnn.Organization.Id, a.Predictions[1].Id, 2, "coat", null);
        Feedback.Add(cnn.Organization.Id, a.Predictions[2].Id, 1, "shirt", null);
        Feedback.Add(cnn.Organization.Id, b.Predictions[0].Id, 1, "shirt", null);
        Feedback.Add(beta.Organization.Id, c.Predictions[0].Id, 1, "shirt", null);

        Assert.Equal(4, Pages.Read(cnn.Organization.Id, null, null, null, 100).Items.Count);
        Assert.Equal([("shirt", 3L), ("coat", 1L)], Pages.Tally(cnn.Organization.Id).ByLabel);
        Assert.Equal([("shirt", 1L)], Pages.Tally(cnn.Organization.Id, ["rnn"]).ByLabel); // a key scoped to rnn
        Assert.Empty(Pages.Tally(cnn.Organization.Id, []).ByLabel);
        Assert.Equal(1, Pages.Tally(beta.Organization.Id).Total);
        Assert.Equal(3, Pages.Read(cnn.Organization.Id, "cnn", null, null, 100).Items.Count);
        Assert.Equal([a.Predictions[2].Id, a.Predictions[0].Id], Pages.Read(cnn.Organization.Id, "cnn", "shirt", null, 100).Items.Select(i => i.Feedback.PredictionId).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal([c.Predictions[0].Id], Pages.Read(beta.Organization.Id, null, null, null, 100).Items.Select(i => i.Feedback.PredictionId));
        Assert.Empty(Pages.Read(beta.Organization.Id, "rnn", null, null, 100).Items);
        Assert.Empty(Pages.Read(cnn.Organization.Id, "cnn\0", null, null, 100).Items);
    }

    [Fact]
    public void ABadCursorOrLimitIsRefusedWithTheFix()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        Assert.Contains("next_cursor", Assert.Throws<ArgumentException>(() => Pages.Read(acme.Organization.Id, null, null, "not-a-cursor", 10)).Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 500", Assert.Throws<ArgumentException>(() => Pages.Read(acme.Organization.Id, null, null, null, 0)).Message, StringComparison.Ordinal);
    }
}

public sealed class SqliteFeedbackPagesTests() : FeedbackPagesTests(new SqliteBackend());

public sealed class PostgresFeedbackPagesTests() : FeedbackPagesTests(new PostgresBackend());
