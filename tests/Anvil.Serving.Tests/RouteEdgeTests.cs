using System.Net;
using System.Net.Sockets;
using System.Text;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Paths, methods, headers and query strings at the edges of the /v1 routes get a 4xx that says what to fix, never a 500.</summary>
public sealed class RouteEdgeTests : ServedModelTest
{
    /// <summary>The request line exactly as written (HttpClient would normalise the path first).</summary>
    private async Task<int> RawStatusAsync(string method, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Host.BaseAddress.Host, Host.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync();
        return int.Parse(statusLine!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("GET", "/V1/models")]
    [InlineData("GET", "/v1/Models")]
    [InlineData("GET", "/V1/MODELS/fashion")]
    [InlineData("POST", "/V1/models/fashion/predict")]
    [InlineData("GET", "/V1/usage")]
    [InlineData("POST", "/V1/predictions/x/feedback")]
    [InlineData("GET", "/healthz/../V1/models")]
    [InlineData("GET", "/v1/../V1/models")]
    public async Task EveryCasingOfV1NeedsAKey(string method, string target) =>
        Assert.Equal(401, await RawStatusAsync(method, target));

    [Fact]
    public async Task UppercaseV1WithAValidKeyIsServed()
    {
        using var response = await Client.GetAsync("/V1/models");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UsageAtTheLastRepresentableDayIsA400()
    {
        using var response = await Client.GetAsync("/v1/usage?from=9999-12-31&to=9999-12-31");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("9999-12-31", await Requests.DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v1/usage?from=9999-12-30&to=9999-12-30")).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task AnEmptyIdempotencyKeyIsRefused(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/fashion/predict") { Content = Requests.Json(Requests.Image(1)) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await Requests.DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AliasAndVersionTogetherAreConflictingSelectors()
    {
        using var response = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=1&alias=champion");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("send one of them", await Requests.DetailAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HEAD", "/v1/models", "GET")]
    [InlineData("OPTIONS", "/v1/models/fashion/predict", "POST")]
    [InlineData("PUT", "/v1/usage", "GET")]
    [InlineData("FOO", "/v1/models/fashion", "GET")]
    public async Task AnotherMethodOnAV1RouteIsA405ThatSaysWhichAreAllowed(string method, string path, string allowed)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal([allowed], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task AnUnknownV1PathIsStillA404()
    {
        using var response = await Client.GetAsync("/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABodyOfExactlyTheLimitIsAcceptedChunkedOrNot(bool chunked)
    {
        var json = "{\"inputs\": [[" + string.Join(",", Enumerable.Repeat("0", 784)) + "]]}";
        var body = Encoding.UTF8.GetBytes(json.PadRight((int)Host.Options.MaxBodyBytes)); // whitespace after the object is valid JSON
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        if (chunked)
            content.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/fashion/predict") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await Client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnUploadSlowerThanTheMinimumRateIsCutOff()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Host.BaseAddress.Host, Host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var key = Client.DefaultRequestHeaders.Authorization!.Parameter;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/models/fashion/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: 8000000\r\n\r\n"));
        var cutOff = false;
        for (var second = 0; second < 20 && !cutOff; second++)
        {
            try
            {
                await stream.WriteAsync(new byte[300]); // 300 B/s: the old default minimum was 240 B/s
                await Task.Delay(1000);
            }
            catch (IOException)
            {
                cutOff = true;
            }

            cutOff |= tcp.Client.Poll(0, SelectMode.SelectRead); // the server answered (408) or closed
        }

        Assert.True(cutOff, "a 300 B/s upload was still accepted after 20 s");
    }
}
