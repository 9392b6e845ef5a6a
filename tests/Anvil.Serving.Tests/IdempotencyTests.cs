using System.Net;
using System.Net.Http.Headers;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>
/// An Idempotency-Key names the parsed request (model selector and input values), not its wire bytes, and
/// is only ever replayed to a key that may use the model.
/// </summary>
public sealed class IdempotencyTests : ServedModelTest
{
    private static MultipartFormDataContent Form(byte[] png, string boundary)
    {
        var form = new MultipartFormDataContent(boundary);
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "shoe.png");
        return form;
    }

    [Fact]
    public async Task AMultipartRetryWithANewBoundaryIsAReplay()
    {
        var png = PredictTests.Png(28, 28, (x, y) => (byte)(x * y % 256));
        using var first = await Requests.PredictAsync(Client, Form(png, "----first-boundary-1234"), idempotencyKey: "upload-1");
        using var retry = await Requests.PredictAsync(Client, Form(png, "----another-boundary-9876"), idempotencyKey: "upload-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }

    [Fact]
    public async Task AfterTheIdempotencyWindowTheSameKeyIsInferredAndBilledAgain()
    {
        using var first = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), idempotencyKey: "daily-job");
        Host.Time.Advance(Host.Options.IdempotencyWindow - TimeSpan.FromSeconds(1));
        using var replay = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), idempotencyKey: "daily-job");
        Host.Time.Advance(TimeSpan.FromSeconds(1));

        using var again = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), idempotencyKey: "daily-job");

        Assert.Equal(TimeSpan.FromHours(24), Host.Service<UsageLedger>().IdempotencyWindow);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11)); // the first answer's billing stays
        Assert.Equal(2, Host.Ledger.Invoice(Host.Acme.Id, 2026, 11).Predictions);
    }

    [Fact]
    public async Task JsonWithOtherWhitespaceIsAReplayAndAnotherSelectorIsNot()
    {
        using var first = await Requests.PredictAsync(Client, Requests.RawJson("{\"inputs\":[[" + string.Join(",", Enumerable.Repeat("1", 784)) + "]]}"), idempotencyKey: "job-7");
        using var spaced = await Requests.PredictAsync(Client, Requests.RawJson("{ \"inputs\" : [ [ " + string.Join(" , ", Enumerable.Repeat("1.0", 784)) + " ] ] }"), idempotencyKey: "job-7");
        using var otherSelector = await Requests.PredictAsync(Client, Requests.RawJson("{\"inputs\":[[" + string.Join(",", Enumerable.Repeat("1", 784)) + "]]}"), idempotencyKey: "job-7", query: "?version=1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("true", spaced.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherSelector.StatusCode);
    }

    [Fact]
    public async Task AReplayIsServedOnlyToAKeyThatMayUseTheModel()
    {
        Host.AddVersion(Host.Acme, name: "secret-model", seed: 3);
        using var full = Host.Client(Host.CreateKey(Host.Acme));
        using var scoped = Host.Client(Host.CreateKey(Host.Acme, models: ["fashion"]));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(full, Requests.Json(Requests.Image(1)), model: "secret-model", idempotencyKey: "k-123")).StatusCode);

        using var replay = await Requests.PredictAsync(scoped, Requests.Json(Requests.Image(1)), model: "secret-model", idempotencyKey: "k-123");

        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
    }

    [Fact]
    public async Task UsageOfAScopedKeyShowsOnlyItsModels()
    {
        Host.AddVersion(Host.Acme, name: "secret-model", seed: 3);
        using var full = Host.Client(Host.CreateKey(Host.Acme));
        using var scoped = Host.Client(Host.CreateKey(Host.Acme, models: ["fashion"]));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(full, Requests.Json(Requests.Image(1)), model: "secret-model")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(full, Requests.Json(Requests.Image(1), Requests.Image(2)))).StatusCode);

        var usage = await Requests.ReadJsonAsync(await scoped.GetAsync("/v1/usage"));

        Assert.Equal(["fashion"], usage.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("model").GetString()));
        var invoice = usage.GetProperty("invoice");
        Assert.Equal(["fashion"], invoice.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("model").GetString()));
        Assert.Equal(2, invoice.GetProperty("billed_predictions").GetInt64());
    }
}
