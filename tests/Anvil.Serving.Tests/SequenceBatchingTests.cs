using System.Net;
using System.Text.Json;
using Anvil.Preprocessing.Text;
using Anvil.Serving.Inference;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>
/// Token ids (int64) and series windows (float32) go through the batcher as images do: requests share
/// batches, a request larger than a batch runs in chunks, and every answer is the one of its input alone.
/// </summary>
public sealed class SequenceBatchingTests
{
    private static readonly string[] Texts = ["free money", "lunch at noon?", "WIN a cruise now", "meeting moved", "free free free", "the meeting at noon for money"];

    [Fact]
    public async Task TextsAndWindowsAreBatchedAndChunkedWithoutChangingAnswers()
    {
        await using var host = await ServingHost.StartAsync(new ServingOptions { Batching = new BatchingOptions(2, TimeSpan.FromMilliseconds(50)) });
        SequenceVersions.AddText(host);
        SequenceVersions.AddForecaster(host);
        using var client = host.Client(host.CreateKey(host.Acme));
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(SequenceVersions.TrainingTexts, SequenceVersions.TokenizerOptions), SequenceVersions.TokenizerOptions);
        var windows = Enumerable.Range(0, Texts.Length).Select(SequenceVersions.Window72).ToArray();

        var oneRequest = await Task.WhenAll(
            PredictAsync(client, "spam", Texts),
            PredictAsync(client, "weather", windows)); // 6 inputs > a batch of 2: run in chunks
        var concurrent = await Task.WhenAll(Enumerable.Range(0, Texts.Length).SelectMany(i => new[]
        {
            PredictAsync(client, "spam", new[] { Texts[i] }),
            PredictAsync(client, "weather", new[] { windows[i] }),
        }));

        for (var i = 0; i < Texts.Length; i++)
        {
            var ids = new long[SequenceVersions.MaxLength];
            tokenizer.Pad(tokenizer.Encode(Texts[i]), ids);
            var expectedText = host.RunInProcess("spam", ids);
            var expectedForecast = host.RunInProcess("weather", windows[i]);
            AssertClose(expectedText, Probabilities(oneRequest[0][i]));
            AssertClose(expectedText, Probabilities(concurrent[2 * i][0]));
            AssertClose(expectedForecast, Forecast(oneRequest[1][i]));
            AssertClose(expectedForecast, Forecast(concurrent[2 * i + 1][0]));
        }

        Assert.All(host.Service<ModelRouter>().LoadedModels, model => Assert.True(model.Batcher.Counters.Batches < model.Batcher.Counters.Samples));
    }

    private static async Task<JsonElement[]> PredictAsync<T>(HttpClient client, string model, T[] inputs)
    {
        using var response = await Requests.PredictAsync(client, Requests.RawJson(JsonSerializer.Serialize(new { inputs })), model);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await Requests.ReadJsonAsync(response)).GetProperty("predictions").EnumerateArray()];
    }

    private static float[] Probabilities(JsonElement prediction) =>
        [.. SequenceVersions.TextClasses.Select(c => prediction.GetProperty("probabilities").GetProperty(c).GetSingle())];

    private static float[] Forecast(JsonElement prediction) => [.. prediction.GetProperty("forecast").EnumerateArray().Select(v => v.GetSingle())];

    // batch composition changes only float summation order inside ONNX Runtime's kernels
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 4);
    }
}
