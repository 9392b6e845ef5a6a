using System.Net;
using Anvil.Registry;
using Anvil.Serving.Inference;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>
/// No inference without room to bill it: a request's inputs are reserved on the key's counters before the
/// model runs, refused requests cost no inference, and bad or refused requests still count in the minute window.
/// </summary>
public sealed class AdmissionTests : ServedModelTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        new Plans(Host.Database).Save(new Plan("tiny", RequestsPerMinute: 5, MonthlyQuota: 12, PricePer1000Micros: 1_000_000) { MaxInputsPerRequest = 8 });
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(0)))).StatusCode); // load the model
    }

    private long SamplesComputed => Host.Service<ModelRouter>().LoadedModels.Sum(m => m.Batcher.Counters.Samples);

    [Fact]
    public async Task AConcurrentBurstComputesExactlyWhatThePlansRateAllows()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme, plan: "tiny"));
        var before = SamplesComputed;
        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var response = await Requests.PredictAsync(client, Requests.Json(Requests.Image(i)));
            return response.StatusCode;
        }));

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(25, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(5, SamplesComputed - before); // computed = billed
        Assert.Equal(5, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11) - 1);
    }

    [Fact]
    public async Task MoreInputsThanThePlanAllowsPerRequestAreRefusedBeforeInference()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme, plan: "tiny"));
        var before = SamplesComputed;
        using var response = await Requests.PredictAsync(client, Requests.Json([.. Enumerable.Range(0, 9).Select(Requests.Image)]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 8", await Requests.DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, SamplesComputed - before);
    }

    [Fact]
    public async Task TheSeededPlansCapInputsPerRequest()
    {
        var plans = new Plans(Host.Database);
        Assert.Equal((32, 256, 1024), (plans.Get("free").MaxInputsPerRequest, plans.Get("pro").MaxInputsPerRequest, plans.Get("enterprise").MaxInputsPerRequest));
        using var free = Host.Client(Host.CreateKey(Host.Acme, plan: "free"));
        using var response = await Requests.PredictAsync(free, Requests.Json([.. Enumerable.Range(0, 33).Select(Requests.Image)]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 32", await Requests.DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestLargerThanTheQuotaLeftIsRefusedBeforeInferenceAndToldHowManyFit()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme, plan: "tiny"));
        var eight = Requests.Json([.. Enumerable.Range(0, 8).Select(Requests.Image)]);
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, eight)).StatusCode);
        var before = SamplesComputed;

        using var refused = await Requests.PredictAsync(client, Requests.Json([.. Enumerable.Range(0, 5).Select(Requests.Image)]));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("4 predictions left and this request has 5 inputs; send at most 4", await Requests.DetailAsync(refused), StringComparison.Ordinal);
        Assert.Equal(0, SamplesComputed - before);
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, Requests.Json([.. Enumerable.Range(0, 4).Select(Requests.Image)]))).StatusCode);
    }

    [Fact]
    public async Task BadBodiesCountTowardTheMinuteWindow()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme, plan: "tiny"));
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await Requests.PredictAsync(client, Requests.RawJson("""{"inputs": [[1, 2, 3]]}"""))).StatusCode);

        using var limited = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("5 requests per minute", await Requests.DetailAsync(limited), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedAndFailedRequestsAfterTheReservationGiveTheQuotaBack()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme, plan: "tiny"));
        var body = Requests.Json([.. Enumerable.Range(0, 8).Select(Requests.Image)]);
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, body, idempotencyKey: "job-1")).StatusCode);
        using var replayed = await Requests.PredictAsync(client, Requests.Json([.. Enumerable.Range(0, 8).Select(Requests.Image)]), idempotencyKey: "job-1");
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        using var conflict = await Requests.PredictAsync(client, Requests.Json(Requests.Image(3)), idempotencyKey: "job-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.StatusCode);

        // 8 of 12 billed: 4 left, whatever the replay and the conflict were
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, Requests.Json([.. Enumerable.Range(0, 4).Select(Requests.Image)]))).StatusCode);
    }
}
