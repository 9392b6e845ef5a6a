using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Bad bodies get a 4xx with a precise message, nothing is billed, and the server keeps serving.</summary>
public sealed class BadInputTests : ServedModelTest
{

    private async Task AssertRefused(HttpContent content, HttpStatusCode status, params string[] phrases)
    {
        using var response = await Requests.PredictAsync(Client, content);
        Assert.Equal(status, response.StatusCode);
        var detail = await Requests.DetailAsync(response);
        foreach (var phrase in phrases)
            Assert.Contains(phrase, detail, StringComparison.Ordinal);

        using var healthy = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public Task MalformedJson() => AssertRefused(Requests.RawJson("""{"inputs": [[[[1, 2 3]]]]}"""), HttpStatusCode.BadRequest, "not valid JSON");

    [Fact]
    public Task TruncatedJson() => AssertRefused(Requests.RawJson("""{"inputs": [[[[1, 2,"""), HttpStatusCode.BadRequest, "not valid JSON");

    [Fact]
    public Task WrongFieldName() => AssertRefused(Requests.RawJson("""{"instances": []}"""), HttpStatusCode.BadRequest, "Unknown field 'instances'", "\"inputs\"");

    [Fact]
    public Task NoInputs() => AssertRefused(Requests.RawJson("""{"inputs": []}"""), HttpStatusCode.BadRequest, "No inputs", "[1, 28, 28]");

    [Fact]
    public Task RowTooShort()
    {
        var image = Requests.Image(1);
        image[0][5] = image[0][5][..27];
        return AssertRefused(Requests.Json(image), HttpStatusCode.BadRequest, "inputs[0][0][5] has 27 numbers", "needs 28");
    }

    [Fact]
    public Task TooFewRows()
    {
        var image = Requests.Image(1);
        image[0] = image[0][..20];
        return AssertRefused(Requests.Json(Requests.Image(2), image), HttpStatusCode.BadRequest, "inputs[1][0] has 20 items", "needs 28");
    }

    [Fact]
    public Task FlatSampleOfTheWrongLength() =>
        AssertRefused(Requests.RawJson("""{"inputs": [[1, 2, 3]]}"""), HttpStatusCode.BadRequest, "flat array of 3 numbers", "784");

    [Fact]
    public Task StringWhereANumberBelongs() =>
        AssertRefused(Requests.RawJson("""{"inputs": [[[[1, "a"]]]]}"""), HttpStatusCode.BadRequest, "inputs[0][0][0]", "a string where a number belongs");

    [Fact]
    public Task TooManyInputs()
    {
        var json = "{\"inputs\": [" + string.Join(",", Enumerable.Repeat("[" + string.Join(",", Enumerable.Repeat("0", 784)) + "]", 1025)) + "]}";
        return AssertRefused(Requests.RawJson(json), HttpStatusCode.RequestEntityTooLarge, "More than 1,024 inputs");
    }

    [Fact]
    public async Task FiftyMegabyteBodyIsRefusedBeforeItIsRead()
    {
        var content = new ByteArrayContent(new byte[50 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/fashion/predict") { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var detail = await Requests.DetailAsync(response);
        Assert.Contains("52,428,800 bytes", detail, StringComparison.Ordinal);
        Assert.Contains("8,388,608", detail, StringComparison.Ordinal);
        using var healthy = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public Task FileThatIsNotAnImage()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("this is a text file, not a picture"));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return AssertRefused(content, HttpStatusCode.UnsupportedMediaType, "not a PNG or JPEG");
    }

    [Fact]
    public Task UnsupportedContentType() =>
        AssertRefused(new StringContent("1,2,3", Encoding.UTF8, "text/csv"), HttpStatusCode.UnsupportedMediaType, "text/csv", "application/json");

    [Fact]
    public Task PngThatDecompressesToGigapixels()
    {
        var content = new ByteArrayContent(PngFiles.Black(50_000, 50_000, rows: 64));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return AssertRefused(content, HttpStatusCode.RequestEntityTooLarge, "50000×50000", "2,500,000,000 pixels", "16,777,216");
    }

    [Fact]
    public async Task NothingRefusedIsBilled()
    {
        await AssertRefused(Requests.RawJson("{"), HttpStatusCode.BadRequest, "JSON");
        Assert.Equal(1, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11)); // only the healthy check after it
    }
}
