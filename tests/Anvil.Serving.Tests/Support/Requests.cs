using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Anvil.Serving.Tests.Support;

/// <summary>Request bodies and response parsing shared by the serving tests.</summary>
public static class Requests
{
    /// <summary>A 1×28×28 image of raw pixel values from <paramref name="seed"/>, as nested arrays.</summary>
    public static float[][][] Image(int seed)
    {
        var random = new Random(seed);
        return [Enumerable.Range(0, 28).Select(_ => Enumerable.Range(0, 28).Select(_ => (float)random.Next(256)).ToArray()).ToArray()];
    }

    public static StringContent Json(params float[][][][] inputs) =>
        new(JsonSerializer.Serialize(new { inputs }), Encoding.UTF8, "application/json");

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>())!;

    public static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
    }

    public static Task<HttpResponseMessage> PredictAsync(HttpClient client, HttpContent content, string model = "fashion", string? idempotencyKey = null, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/models/{model}/predict{query}") { Content = content };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }
}
