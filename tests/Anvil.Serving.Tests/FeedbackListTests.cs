using System.Net;
using System.Text.Json;
using Anvil.Registry;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>GET /v1/feedback reads feedback back in pages, by model and label, per organization; a viewer key may read but not give feedback.</summary>
public sealed class FeedbackListTests : ServedModelTest
{
    private async Task<string[]> PredictAndLabel(HttpClient client, string model, params int[] labels)
    {
        var ids = new string[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            using var predicted = await client.PostAsync($"/v1/models/{model}/predict", Requests.Json(Requests.Image(i)));
            ids[i] = (await Requests.ReadJsonAsync(predicted)).GetProperty("predictions")[0].GetProperty("id").GetString()!;
            using var stored = await client.PostAsync($"/v1/predictions/{ids[i]}/feedback", Requests.RawJson($"{{\"label\": {labels[i]}}}"));
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            Host.Time.Advance(TimeSpan.FromSeconds(1));
        }
        return ids;
    }

    private static string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("prediction_id").GetString()!)];

    [Fact]
    public async Task PagesWalkNewestFirstAndFilterByModelAndLabel()
    {
        Host.AddVersion(Host.Acme, "other", seed: 2);
        var ids = await PredictAndLabel(Client, "fashion", 7, 9, 7, 1, 7);
        var other = await PredictAndLabel(Client, "other", 7);

        var first = await Requests.ReadJsonAsync(await Client.GetAsync("/v1/feedback?model=fashion&limit=2"));
        Assert.Equal([ids[4], ids[3]], Ids(first));
        var second = await Requests.ReadJsonAsync(await Client.GetAsync($"/v1/feedback?model=fashion&limit=2&cursor={first.GetProperty("next_cursor").GetString()}"));
        Assert.Equal([ids[2], ids[1]], Ids(second));
        var last = await Requests.ReadJsonAsync(await Client.GetAsync($"/v1/feedback?model=fashion&limit=2&cursor={second.GetProperty("next_cursor").GetString()}"));
        Assert.Equal([ids[0]], Ids(last));
        Assert.False(last.TryGetProperty("next_cursor", out _)); // the last page

        var sneakers = await Requests.ReadJsonAsync(await Client.GetAsync("/v1/feedback?model=fashion&label=Sneaker"));
        Assert.Equal([ids[4], ids[2], ids[0]], Ids(sneakers));
        var item = sneakers.GetProperty("items")[0];
        Assert.Equal(("fashion", 1, "Sneaker", 7), (item.GetProperty("model").GetString(), item.GetProperty("version").GetInt32(), item.GetProperty("label").GetString(), item.GetProperty("label_index").GetInt32()));
        var all = Ids(await Requests.ReadJsonAsync(await Client.GetAsync("/v1/feedback")));
        Assert.Equal(other.Concat(ids.Reverse()), all);
    }

    [Fact]
    public async Task AnotherOrganizationSeesNoneOfItAndBadParametersAre400()
    {
        await PredictAndLabel(Client, "fashion", 7);
        using var globex = Host.Client(Host.CreateKey(Host.Globex));

        Assert.Empty(Ids(await Requests.ReadJsonAsync(await globex.GetAsync("/v1/feedback"))));
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/v1/feedback?model=fashion")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/v1/feedback?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/v1/feedback?limit=many")).StatusCode);
        using var cursor = await Client.GetAsync("/v1/feedback?cursor=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
        Assert.Contains("next_cursor", await Requests.DetailAsync(cursor), StringComparison.Ordinal);
        using var anonymous = new HttpClient { BaseAddress = Host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/feedback")).StatusCode);
    }

    [Fact]
    public async Task AKeyScopedToModelsNamesOneAndSeesOnlyIt()
    {
        Host.AddVersion(Host.Acme, "other", seed: 2);
        await PredictAndLabel(Client, "fashion", 7);
        var other = await PredictAndLabel(Client, "other", 3);
        using var scoped = Host.Client(Host.CreateKey(Host.Acme, models: ["other"]));

        Assert.Equal(HttpStatusCode.BadRequest, (await scoped.GetAsync("/v1/feedback")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync("/v1/feedback?model=fashion")).StatusCode);
        Assert.Equal(other, Ids(await Requests.ReadJsonAsync(await scoped.GetAsync("/v1/feedback?model=other"))));
    }

    [Fact]
    public async Task AViewerKeyReadsFeedbackButCannotGiveIt()
    {
        var ids = await PredictAndLabel(Client, "fashion", 7);
        using var viewer = Host.Client(Host.CreateKey(Host.Acme, role: Role.Viewer));

        using var refused = await viewer.PostAsync($"/v1/predictions/{ids[0]}/feedback", Requests.RawJson("""{"label": 1}"""));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(ids, Ids(await Requests.ReadJsonAsync(await viewer.GetAsync("/v1/feedback"))));
        Assert.Equal(7, Assert.Single(new FeedbackStore(Host.Database, Host.Time).List(Host.Acme.Id)).Feedback.Label); // unchanged
    }
}
