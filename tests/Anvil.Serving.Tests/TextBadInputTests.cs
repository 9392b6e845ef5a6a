using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Bad texts get a 4xx whose one line says what to fix; nothing is billed and the model keeps serving.</summary>
public sealed class TextBadInputTests : ServedModelTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SequenceVersions.AddText(Host);
    }

    private async Task AssertRefused(HttpContent content, HttpStatusCode status, params string[] phrases)
    {
        using var response = await Requests.PredictAsync(Client, content, model: "spam");
        Assert.Equal(status, response.StatusCode);
        var detail = await Requests.DetailAsync(response);
        foreach (var phrase in phrases)
            Assert.Contains(phrase, detail, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', detail);

        using var healthy = await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": ["free money"]}"""), model: "spam");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        var usage = await Requests.ReadJsonAsync(await Client.GetAsync("/v1/usage"));
        Assert.Equal(1, usage.GetProperty("invoice").GetProperty("billed_predictions").GetInt64()); // only the healthy one
    }

    [Fact]
    public Task EmptyText() =>
        AssertRefused(Requests.RawJson("""{"inputs": ["free money", "  "]}"""), HttpStatusCode.BadRequest, "inputs[1]", "empty");

    [Fact]
    public Task ATextLongerThanTheTokenizerReads() =>
        AssertRefused(Requests.RawJson("{\"inputs\": [\"" + new string('a', 1_000_001) + "\"]}"), HttpStatusCode.BadRequest, "inputs[0]", "1,000,001 characters", "at most 1,000,000");

    [Fact]
    public Task NonUtf8Bytes()
    {
        var body = new ByteArrayContent([.. "{\"inputs\": [\"free "u8, 0xC3, 0x28, .. "\"]}"u8]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return AssertRefused(body, HttpStatusCode.BadRequest, "not valid UTF-8", "byte 18 (0xC3)");
    }

    [Fact]
    public Task UnpairedSurrogateEscape() =>
        AssertRefused(Requests.RawJson("""{"inputs": ["free \ud800 money"]}"""), HttpStatusCode.BadRequest, "inputs[0]", "unpaired UTF-16 surrogate");

    [Fact]
    public Task ANumberWhereATextBelongs() =>
        AssertRefused(Requests.RawJson("""{"inputs": ["free money", 42]}"""), HttpStatusCode.BadRequest, "inputs[1] is a number", "[\"text\", ...]");

    [Fact]
    public Task AnArrayOfNumbersForATextModel() =>
        AssertRefused(Requests.RawJson("""{"inputs": [[1, 2, 3]]}"""), HttpStatusCode.BadRequest, "inputs[0] is an array", "takes texts");

    [Fact]
    public Task EveryTokenUnknown() =>
        AssertRefused(Requests.RawJson("""{"inputs": ["zyxxy quorp"]}"""), HttpStatusCode.UnprocessableEntity, "inputs[0]", "none of its 2 tokens is in the model's vocabulary");

    [Fact]
    public Task OnlyControlCharacters() =>
        AssertRefused(Requests.RawJson("""{"inputs": ["\u0001\u0002\u200b"]}"""), HttpStatusCode.UnprocessableEntity, "inputs[0] holds no words");

    [Fact]
    public Task AnImageForATextModel()
    {
        var png = new ByteArrayContent(Encoding.ASCII.GetBytes("not really a png"));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return AssertRefused(png, HttpStatusCode.UnsupportedMediaType, "takes texts");
    }

    [Fact]
    public async Task MoreTextsThanThePlanAllows()
    {
        using var free = Host.Client(Host.CreateKey(Host.Acme, "free")); // 32 inputs per request
        var body = "{\"inputs\": [" + string.Join(", ", Enumerable.Repeat("\"free money\"", 33)) + "]}";
        using var response = await Requests.PredictAsync(free, Requests.RawJson(body), model: "spam");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 32", await Requests.DetailAsync(response), StringComparison.Ordinal);
    }
}
