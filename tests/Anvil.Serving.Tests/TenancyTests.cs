using System.Net;
using System.Text.Json;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>A key of one organization never sees another's models, predictions, feedback or usage.</summary>
public sealed class TenancyTests : ServedModelTest
{

    [Fact]
    public async Task OtherOrganizationGets404ForEverythingOfAcme()
    {
        using var acme = Host.Client(Host.CreateKey(Host.Acme));
        using var globex = Host.Client(Host.CreateKey(Host.Globex));
        using var predicted = await Requests.PredictAsync(acme, Requests.Json(Requests.Image(1)));
        Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
        var predictionId = (await Requests.ReadJsonAsync(predicted)).GetProperty("predictions")[0].GetProperty("id").GetString();

        var models = await Requests.ReadJsonAsync(await globex.GetAsync("/v1/models"));
        Assert.Equal(0, models.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/v1/models/fashion")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Requests.PredictAsync(globex, Requests.Json(Requests.Image(1)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Requests.PredictAsync(globex, Requests.Json(Requests.Image(1)), query: "?version=1")).StatusCode);
        using var feedback = await globex.PostAsync($"/v1/predictions/{predictionId}/feedback", Requests.RawJson("""{"label": "Bag"}"""));
        Assert.Equal(HttpStatusCode.NotFound, feedback.StatusCode);

        var globexUsage = await Requests.ReadJsonAsync(await globex.GetAsync("/v1/usage"));
        Assert.Equal(0, globexUsage.GetProperty("days").GetArrayLength());
        Assert.Equal(0, globexUsage.GetProperty("invoice").GetProperty("billed_predictions").GetInt64());
        var acmeUsage = await Requests.ReadJsonAsync(await acme.GetAsync("/v1/usage"));
        Assert.Equal(1, acmeUsage.GetProperty("invoice").GetProperty("billed_predictions").GetInt64());

        // the same model name in globex is globex's own model, not acme's
        var own = Host.AddVersion(Host.Globex, seed: 7);
        using var globexPredicted = await Requests.PredictAsync(globex, Requests.Json(Requests.Image(1)));
        Assert.Equal(HttpStatusCode.OK, globexPredicted.StatusCode);
        Assert.Equal(own.Version, (await Requests.ReadJsonAsync(globexPredicted)).GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Array, (await Requests.ReadJsonAsync(await globex.GetAsync("/v1/models"))).ValueKind);
    }

    [Fact]
    public async Task AKeyScopedToModelsSeesOnlyThoseModels()
    {
        Host.AddVersion(Host.Acme, name: "secret-model", seed: 3);
        using var full = Host.Client(Host.CreateKey(Host.Acme));
        using var scoped = Host.Client(Host.CreateKey(Host.Acme, models: ["fashion"]));
        var secretPrediction = (await Requests.ReadJsonAsync(await Requests.PredictAsync(full, Requests.Json(Requests.Image(1)), model: "secret-model")))
            .GetProperty("predictions")[0].GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(scoped, Requests.Json(Requests.Image(1)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Requests.PredictAsync(scoped, Requests.Json(Requests.Image(1)), model: "secret-model")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync("/v1/models/secret-model")).StatusCode);
        var listed = await Requests.ReadJsonAsync(await scoped.GetAsync("/v1/models"));
        Assert.Equal(["fashion"], listed.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        using var feedback = await scoped.PostAsync($"/v1/predictions/{secretPrediction}/feedback", Requests.RawJson("""{"label": 1}"""));
        Assert.Equal(HttpStatusCode.NotFound, feedback.StatusCode);
        Assert.Equal(2, (await Requests.ReadJsonAsync(await full.GetAsync("/v1/models"))).GetArrayLength());
    }
}
