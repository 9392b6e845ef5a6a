using System.Net;
using System.Text;
using System.Text.Json;
using Anvil.Preprocessing.Text;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>A text model served: texts in, tokenized as training does, probabilities and a truncation flag out, the text logged.</summary>
public sealed class TextPredictTests : ServedModelTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SequenceVersions.AddText(Host);
    }

    private static StringContent Texts(params string[] inputs) => Requests.RawJson(JsonSerializer.Serialize(new { inputs }));

    /// <summary>Probabilities of ONNX Runtime run in process on the ids training's tokenizer gives.</summary>
    private float[] InProcess(string text)
    {
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(SequenceVersions.TrainingTexts, SequenceVersions.TokenizerOptions), SequenceVersions.TokenizerOptions);
        var ids = new long[SequenceVersions.MaxLength];
        tokenizer.Pad(tokenizer.Encode(text), ids);
        return Host.RunInProcess("spam", ids);
    }

    [Fact]
    public async Task TextsGetLabelsAndTheProbabilitiesOfTrainingsTokenIds()
    {
        string[] texts = ["Win a FREE cruise now!", "lunch at noon?"];
        using var response = await Requests.PredictAsync(Client, Texts(texts), model: "spam");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await Requests.ReadJsonAsync(response)).GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = InProcess(texts[i]);
            var probabilities = predictions[i].GetProperty("probabilities");
            for (var c = 0; c < expected.Length; c++)
                Assert.Equal(expected[c], probabilities.GetProperty(SequenceVersions.TextClasses[c]).GetSingle(), 6);
            Assert.Equal(SequenceVersions.TextClasses[Array.IndexOf(expected, expected.Max())], predictions[i].GetProperty("label").GetString());
            Assert.False(predictions[i].GetProperty("truncated").GetBoolean());
        }
    }

    [Fact]
    public async Task ATextLongerThanMaxLengthIsTruncatedAndTheAnswerSaysSo()
    {
        const string Long = "free money for the meeting at noon now win a cruise"; // 11 words > max_length 8
        using var response = await Requests.PredictAsync(Client, Texts("free money", Long), model: "spam");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await Requests.ReadJsonAsync(response)).GetProperty("predictions");
        Assert.False(predictions[0].GetProperty("truncated").GetBoolean());
        Assert.True(predictions[1].GetProperty("truncated").GetBoolean());
        Assert.Equal(InProcess(Long)[1], predictions[1].GetProperty("probabilities").GetProperty("spam").GetSingle(), 6);
    }

    [Fact]
    public async Task ThePredictionLogKeepsTheTextAndFeedbackWorks()
    {
        const string Text = "Free money — für dich 🙂";
        using var response = await Requests.PredictAsync(Client, Texts(Text), model: "spam");
        var body = await Requests.ReadJsonAsync(response);
        var id = body.GetProperty("predictions")[0].GetProperty("id").GetString()!;

        var logged = Host.Ledger.FindPrediction(Host.Acme.Id, id)!;
        Assert.Equal(Text, Encoding.UTF8.GetString(logged.Input));
        Assert.Equal("text", logged.InputShape);
        using var feedback = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": "spam"}"""));
        Assert.Equal(HttpStatusCode.Created, feedback.StatusCode);
    }

    [Fact]
    public async Task EachTextIsOneBilledPrediction()
    {
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Texts("free money", "noon meeting", "a cruise"), model: "spam")).StatusCode);

        var usage = await Requests.ReadJsonAsync(await Client.GetAsync("/v1/usage"));
        Assert.Equal(3, usage.GetProperty("invoice").GetProperty("billed_predictions").GetInt64());
    }

    [Fact]
    public async Task AnIdempotencyKeyReusedForAnotherTextWithTheSameIdsIsAConflict()
    {
        using var first = await Requests.PredictAsync(Client, Texts("FREE money"), model: "spam", idempotencyKey: "key-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var replay = await Requests.PredictAsync(Client, Texts("FREE money"), model: "spam", idempotencyKey: "key-1");
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());

        // lowercased, both texts are the same ids; but the log would keep the first text for the second
        using var other = await Requests.PredictAsync(Client, Texts("free money"), model: "spam", idempotencyKey: "key-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
    }
}
