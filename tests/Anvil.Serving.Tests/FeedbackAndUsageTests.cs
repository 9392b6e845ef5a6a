using System.Net;
using System.Runtime.InteropServices;
using Anvil.Registry;
using Anvil.Serving.Api;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Feedback is stored with the logged input; usage and the invoice come from the ledger.</summary>
public sealed class FeedbackAndUsageTests : ServedModelTest
{
    protected override string Plan => "pro";

    [Fact]
    public async Task FeedbackByNameOrIndexIsStoredWithTheLoggedInput()
    {
        var image = Requests.Image(5);
        var predicted = await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(image)));
        var id = predicted.GetProperty("predictions")[0].GetProperty("id").GetString()!;

        using var byName = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": "Sneaker", "comment": "clearly a shoe"}"""));
        Assert.Equal(HttpStatusCode.Created, byName.StatusCode);
        Assert.Equal(7, (await Requests.ReadJsonAsync(byName)).GetProperty("label").GetInt32());
        using var byIndex = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 9}"""));
        Assert.Equal(HttpStatusCode.Created, byIndex.StatusCode);

        var (feedback, prediction) = Assert.Single(new FeedbackStore(Host.Database, Host.Time).List(Host.Acme.Id));
        Assert.Equal("Ankle boot", feedback.LabelName);
        var caller = Host.Keys.Authenticate(Client.DefaultRequestHeaders.Authorization!.Parameter).Key!;
        Assert.Equal(caller.Id, feedback.KeyId); // the key that sent it, for retraining's per-key screen
        Assert.Equal(image.SelectMany(c => c.SelectMany(r => r)).ToArray(), MemoryMarshal.Cast<byte, float>(prediction.Input).ToArray());
    }

    [Fact]
    public async Task FeedbackTheDiskDidNotConfirmIsA503AndSendingItAgainStoresIt()
    {
        var id = (await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1))))).GetProperty("predictions")[0].GetProperty("id").GetString()!;
        using var failed = await WhileTheFlushFailsAsync(() => Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": "Sneaker"}""")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode); // was the exception handler's 500
        Assert.Equal(TimeSpan.FromSeconds(5), failed.Headers.RetryAfter?.Delta);
        Assert.Equal(FeedbackEndpoint.UnconfirmedProblem, (await Requests.ReadJsonAsync(failed)).GetProperty("detail").GetString());

        using var again = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": "Sneaker"}"""));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var (feedback, _) = Assert.Single(new FeedbackStore(Host.Database, Host.Time).List(Host.Acme.Id));
        Assert.Equal("Sneaker", feedback.LabelName);
    }

    [Fact]
    public async Task BadFeedbackIsRefusedPrecisely()
    {
        var id = (await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1))))).GetProperty("predictions")[0].GetProperty("id").GetString();
        using var unknownLabel = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": "Hat"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknownLabel.StatusCode);
        Assert.Contains("\"Sneaker\"", await Requests.DetailAsync(unknownLabel), StringComparison.Ordinal);
        using var outOfRange = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 10}"""));
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        using var malformed = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": """));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using var unknown = await Client.PostAsync("/v1/predictions/pred_nothing/feedback", Requests.RawJson("""{"label": 1}"""));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task UsageByDayAndInvoiceFollowTheLedger()
    {
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1), Requests.Image(2)))).StatusCode);
        Host.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)))).StatusCode);

        var usage = await Requests.ReadJsonAsync(await Client.GetAsync("/v1/usage"));
        var days = usage.GetProperty("days");
        Assert.Equal(2, days.GetArrayLength());
        Assert.Equal(6, days[0].GetProperty("predictions").GetInt64());
        Assert.Equal(3, days[0].GetProperty("requests").GetInt64());
        Assert.Equal(1, days[1].GetProperty("predictions").GetInt64());
        var invoice = usage.GetProperty("invoice");
        Assert.Equal(7, invoice.GetProperty("billed_predictions").GetInt64());
        Assert.Equal(3_500, invoice.GetProperty("total_micros").GetInt64()); // 7 × $0.50 / 1,000
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/v1/usage?from=yesterday")).StatusCode);
    }

    [Fact]
    public async Task FeedbackWithNulDuplicateLabelOrNonJsonContentTypeIsA4xxAndNothingIsStored()
    {
        var id = (await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1))))).GetProperty("predictions")[0].GetProperty("id").GetString();

        using var nul = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 1, "comment": "a\u0000b"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Contains("NUL character", await Requests.DetailAsync(nul), StringComparison.Ordinal);
        using var duplicate = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 1, "label": 2}"""));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        using var text = await Client.PostAsync($"/v1/predictions/{id}/feedback", new StringContent("""{"label": 1}""", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Contains("application/json", await Requests.DetailAsync(text), StringComparison.Ordinal);
        using var nulId = await Client.PostAsync($"/v1/predictions/{id}%00/feedback", Requests.RawJson("""{"label": 1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, nulId.StatusCode); // Kestrel refuses %00 in a path before routing
        Assert.Empty(new FeedbackStore(Host.Database, Host.Time).List(Host.Acme.Id));
    }

    [Fact]
    public async Task FeedbackCountsTowardTheKeysMinuteWindowAndIsRefusedWith429PastIt()
    {
        using var free = Host.Client(Host.CreateKey(Host.Acme, "free")); // 60 requests per minute
        var id = (await Requests.ReadJsonAsync(await Requests.PredictAsync(free, Requests.Json(Requests.Image(1))))).GetProperty("predictions")[0].GetProperty("id").GetString();
        var created = 0;
        HttpResponseMessage refused;
        while (true) // bounded: past 60 (the plan's limit) the test has already failed
        {
            var response = await free.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 1}"""));
            if (response.StatusCode != HttpStatusCode.Created || created == 60)
            {
                refused = response;
                break;
            }

            created++;
            response.Dispose();
        }

        Assert.Equal(59, created); // the prediction was the minute's first request
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("60 requests per minute, feedback included", await Requests.DetailAsync(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Requests.PredictAsync(free, Requests.Json(Requests.Image(1)))).StatusCode);
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await free.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 1}"""))).StatusCode);
    }

    [Fact]
    public async Task UnsampledPredictionsAreBilledWithoutTheirInputAndPrunedOnesAnswer404()
    {
        var log = new PredictionLog(Host.Database, Host.Time);
        log.SetPolicy(Host.Acme.Id, "fashion", new LogPolicy(0, 1));
        using var predicted = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1), Requests.Image(2)));
        Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
        var id = (await Requests.ReadJsonAsync(predicted)).GetProperty("predictions")[0].GetProperty("id").GetString()!;
        Assert.Equal(2, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
        Assert.Empty(Host.Ledger.FindPrediction(Host.Acme.Id, id)!.Input);
        using (var labelled = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 1}""")))
            Assert.Equal(HttpStatusCode.Created, labelled.StatusCode);

        Host.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, log.Prune());
        using var pruned = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 1}"""));
        Assert.Equal(HttpStatusCode.NotFound, pruned.StatusCode);
        Assert.Contains("retention period", await Requests.DetailAsync(pruned), StringComparison.Ordinal);
        Assert.Equal(2, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }
}
