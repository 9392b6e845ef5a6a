using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Anvil.Serving.Tests.Support;
using Anvil.Training.Data;
using Anvil.Training.Models;

namespace Anvil.Serving.Tests;

/// <summary>
/// A model trained on a CSV file takes its features by name, cleaned as training cleaned its rows:
/// a missing or null value gets the fitted fill, values are clipped to the fitted bounds.
/// </summary>
public sealed class NamedFeaturesTests : ServedModelTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        FeatureVersions.AddBuyers(Host);
    }

    [Fact]
    public async Task NamedFeaturesInAnyOrderAreFilledAndClippedAsTrainingDid()
    {
        var named = await Probabilities("""{"inputs": [{"income": 900000, "age": null}, {"income": 52000}]}""");
        var arrays = await Probabilities("""{"inputs": [[38.5, 250000], [38.5, 52000]]}""");

        Assert.Equal(arrays, named);
        Assert.Equal(Host.RunInProcess("buyers", new float[] { 38.5f, 250_000f }), named[0]);
    }

    [Fact]
    public async Task ThePredictionLogKeepsNamedFeaturesAsSentWhileThePredictionUsesTheFilledValues()
    {
        using var response = await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": [{"income": 900000, "age": null}, {"income": 52000.50}, [38.5, 52000]]}"""), model: "buyers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await Requests.ReadJsonAsync(response)).GetProperty("predictions");

        var logged = predictions.EnumerateArray().Select(p => Host.Ledger.FindPrediction(Host.Acme.Id, p.GetProperty("id").GetString()!)!).ToArray();

        Assert.Equal("""{"income":900000,"age":null}""", Encoding.UTF8.GetString(logged[0].Input)); // null stays null, 900000 unclipped
        Assert.Equal("""{"income":52000.50}""", Encoding.UTF8.GetString(logged[1].Input)); // a missing feature stays missing
        Assert.Equal(["json", "json", "2"], logged.Select(l => l.InputShape));
        Assert.Equal(new float[] { 38.5f, 52_000f }, MemoryMarshal.Cast<byte, float>(logged[2].Input).ToArray()); // an array is logged as values
        Assert.Equal(Host.RunInProcess("buyers", new float[] { 38.5f, 250_000f }), logged[0].Probabilities); // filled and clipped for the model
    }

    [Fact]
    public async Task SameValuesSentDifferentlyAreNotAnIdempotentReplay()
    {
        using var first = await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": [{"age": null, "income": 1}]}"""), model: "buyers", idempotencyKey: "named-1");
        using var second = await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": [{"age": 38.5, "income": 1}]}"""), model: "buyers", idempotencyKey: "named-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
    }

    [Theory]
    [InlineData("""{"inputs": [{"age": 41}]}""", "no value for 'income'")]
    [InlineData("""{"inputs": [{"age": 41, "income": 1, "zip": 90210}]}""", "the feature 'zip', which the model does not know; its features are age, income")]
    [InlineData("""{"inputs": [{"age": 41, "age": 42, "income": 1}]}""", "gives the feature 'age' twice")]
    [InlineData("""{"inputs": [{"age": "41", "income": 1}]}""", "inputs[0].age must be a number or null")]
    public async Task ABadNamedSampleIsA400SayingWhatToFix(string body, string expected)
    {
        using var response = await Requests.PredictAsync(Client, Requests.RawJson(body), model: "buyers");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnImageModelStillRefusesAnObject()
    {
        using var response = await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": [{"age": 41}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must be an array", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<float[][]> Probabilities(string body)
    {
        using var response = await Requests.PredictAsync(Client, Requests.RawJson(body), model: "buyers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await Requests.ReadJsonAsync(response)).GetProperty("predictions");
        return [.. predictions.EnumerateArray().Select(p => p.GetProperty("probabilities").EnumerateObject().Select(v => v.Value.GetSingle()).ToArray())];
    }
}
