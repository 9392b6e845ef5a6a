using System.Net;
using Anvil.Serving.Inference;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>
/// One run registered by two organizations, and as two versions of one model: the files (one digest) share
/// a session, but every answer, bill, logged prediction and feedback names the caller's own model and version.
/// </summary>
public sealed class SharedSessionTests : ServedModelTest
{
    [Fact]
    public async Task TheSameRunRegisteredByTwoOrganizationsAnswersAndBillsAsEachOnesOwnModel()
    {
        var shared = Host.AddVersion(Host.Globex, name: "shared", seed: 1);
        Assert.Equal(Version.ManifestDigest, shared.ManifestDigest); // the same files as acme's fashion v1
        using var globex = Host.Client(Host.CreateKey(Host.Globex));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)))).StatusCode); // acme loads them first

        using var predicted = await Requests.PredictAsync(globex, Requests.Json(Requests.Image(1)), model: "shared");
        Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
        var answer = await Requests.ReadJsonAsync(predicted);
        Assert.Equal("shared", answer.GetProperty("model").GetString());
        Assert.Equal(shared.Version, answer.GetProperty("version").GetInt32());
        var predictionId = answer.GetProperty("predictions")[0].GetProperty("id").GetString()!;

        var logged = Host.Ledger.FindPrediction(Host.Globex.Id, predictionId)!;
        Assert.Equal(("shared", shared.Version), (logged.ModelName, logged.ModelVersion));
        var usage = await Requests.ReadJsonAsync(await globex.GetAsync("/v1/usage"));
        Assert.Equal(["shared"], usage.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("model").GetString()));
        Assert.Equal(["shared"], usage.GetProperty("invoice").GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("model").GetString()));
        using var feedback = await globex.PostAsync($"/v1/predictions/{predictionId}/feedback", Requests.RawJson("""{"label": 1}"""));
        Assert.Equal(HttpStatusCode.Created, feedback.StatusCode);
        using var scoped = Host.Client(Host.CreateKey(Host.Globex, models: ["shared"]));
        using var scopedFeedback = await scoped.PostAsync($"/v1/predictions/{predictionId}/feedback", Requests.RawJson("""{"label": 2}"""));
        Assert.Equal(HttpStatusCode.Created, scopedFeedback.StatusCode);
        Assert.Single(Host.Service<ModelRouter>().LoadedModels); // still one session for both
    }

    [Fact]
    public async Task TheSameRunRegisteredAsTwoVersionsAnswersAsTheVersionAskedFor()
    {
        var second = Host.AddVersion(Host.Acme, seed: 1);
        Assert.Equal(Version.ManifestDigest, second.ManifestDigest);
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=1")).StatusCode);

        using var predicted = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=2");
        var answer = await Requests.ReadJsonAsync(predicted);
        Assert.Equal(2, answer.GetProperty("version").GetInt32());
        Assert.Equal(2, answer.GetProperty("predictions")[0].GetProperty("version").GetInt32());
        var logged = Host.Ledger.FindPrediction(Host.Acme.Id, answer.GetProperty("predictions")[0].GetProperty("id").GetString()!)!;
        Assert.Equal(2, logged.ModelVersion);
    }
}
