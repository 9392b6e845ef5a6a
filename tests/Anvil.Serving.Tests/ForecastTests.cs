using System.Globalization;
using System.Net;
using System.Text.Json;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>A forecaster served: a 72-step window in, 24 values out; wrong windows get a 400 that says what to fix.</summary>
public sealed class ForecastTests : ServedModelTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SequenceVersions.AddForecaster(Host);
    }

    private static StringContent Windows(params float[][] inputs) => Requests.RawJson(JsonSerializer.Serialize(new { inputs }));

    [Fact]
    public async Task AWindowGivesAForecastOfTheHorizonMatchingOnnxRuntime()
    {
        float[][] windows = [SequenceVersions.Window72(1), SequenceVersions.Window72(2)];
        using var response = await Requests.PredictAsync(Client, Windows(windows), model: "weather");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await Requests.ReadJsonAsync(response)).GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        for (var i = 0; i < windows.Length; i++)
        {
            var forecast = predictions[i].GetProperty("forecast").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(SequenceVersions.Horizon, forecast.Length);
            var expected = Host.RunInProcess("weather", windows[i]);
            for (var h = 0; h < expected.Length; h++)
                Assert.Equal(expected[h], forecast[h], 5);
            Assert.False(predictions[i].TryGetProperty("label", out _));
            Assert.False(predictions[i].TryGetProperty("probabilities", out _));
            Assert.False(predictions[i].TryGetProperty("truncated", out _));
        }
    }

    [Fact]
    public async Task TheLogKeepsTheWindowAndTheForecastAndFeedbackIsRefused()
    {
        var window = SequenceVersions.Window72(3);
        var body = await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Windows(window), model: "weather"));
        var prediction = body.GetProperty("predictions")[0];
        var id = prediction.GetProperty("id").GetString()!;

        var logged = Host.Ledger.FindPrediction(Host.Acme.Id, id)!;
        Assert.Equal(window, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(logged.Input).ToArray());
        Assert.Equal("72,1", logged.InputShape);
        Assert.Equal(prediction.GetProperty("forecast").EnumerateArray().Select(v => v.GetSingle()), logged.Probabilities);
        using var feedback = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": 0}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, feedback.StatusCode);
        Assert.Contains("forecast", await Requests.DetailAsync(feedback), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheModelListSaysWhatEachModelTakesAndAnswers()
    {
        SequenceVersions.AddText(Host);

        var models = (await Requests.ReadJsonAsync(await Client.GetAsync("/v1/models"))).EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);

        Assert.Equal(("image", "probabilities"), Kinds(models["fashion"]));
        Assert.Equal(("series", "values"), Kinds(models["weather"]));
        Assert.Equal(("tokens", "probabilities"), Kinds(models["spam"]));
        Assert.Equal(SequenceVersions.Window, models["weather"].GetProperty("preprocessing").GetProperty("sequence_length").GetInt32());
        Assert.Equal(SequenceVersions.MaxLength, models["spam"].GetProperty("preprocessing").GetProperty("tokenizer").GetProperty("max_length").GetInt32());
    }

    private static (string?, string?) Kinds(JsonElement model) => (model.GetProperty("input_kind").GetString(), model.GetProperty("output_kind").GetString());

    private async Task AssertRefused(string json, params string[] phrases)
    {
        using var response = await Requests.PredictAsync(Client, Requests.RawJson(json), model: "weather");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = await Requests.DetailAsync(response);
        foreach (var phrase in phrases)
            Assert.Contains(phrase, detail, StringComparison.Ordinal);
    }

    private static string Window(int length, string? replaceLast = null)
    {
        var values = SequenceVersions.Window72(4).Take(length).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList();
        if (replaceLast is not null)
            values[^1] = replaceLast;
        return "{\"inputs\": [[" + string.Join(", ", values) + "]]}";
    }

    [Fact]
    public Task AWindowTooShortNamesTheLengthExpected() => AssertRefused(Window(70), "inputs[0]", "70 numbers", "needs 72");

    [Fact]
    public Task AWindowTooLongNamesTheLengthExpected() => AssertRefused(Window(72)[..^3] + ", 1.5]]}", "inputs[0]", "73 numbers", "needs 72");

    [Fact]
    public Task AGapIsRefused() => AssertRefused(Window(72, "null"), "inputs[0] holds null", "fill gaps");

    [Fact]
    public Task NaNIsRefused() => AssertRefused(Window(72, "NaN"), "NaN and Infinity are not numbers in JSON");

    [Fact]
    public Task InfinityIsRefused() => AssertRefused(Window(72, "-Infinity"), "NaN and Infinity are not numbers in JSON");

    [Fact]
    public Task AnOverflowIsRefused() => AssertRefused(Window(72, "1e999"), "outside float32 range");

    [Fact]
    public Task AQuotedNumberIsRefused() => AssertRefused(Window(72, "\"12.5\""), "a string where a number belongs");
}
