using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>
/// A text classifier and a forecaster through the real CLI: train on the committed samples → register
/// (the vocabulary sealed in the version, manifest anvil.model/2) → serve → predict a text and a window.
/// </summary>
public class SequenceServingTests
{
    private static string TrainAndRegister(AnvilProcess anvil, string recipe, string name)
    {
        var trained = anvil.Run("train", "--recipe", recipe, "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = JsonDocument.Parse(trained.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;
        var registered = anvil.Run("register", runId[..12], "--name", name, "--org", "acme");
        Assert.True(registered.ExitCode == 0, registered.Stderr);
        return runId;
    }

    [Fact]
    public async Task ATrainedTextModelAndForecasterAreRegisteredAndServed()
    {
        using var anvil = new AnvilProcess();
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        TrainAndRegister(anvil, TextRunTests.WriteRecipe(anvil, epochs: 1), "spam");
        TrainAndRegister(anvil, SeriesForecastTests.WriteRecipe(anvil, epochs: 1), "weather");
        var version = Directory.GetDirectories(Path.Combine(anvil.Home, "models"), "sha256-*", SearchOption.AllDirectories) // models/<organization id>/sha256-…
            .Single(d => File.Exists(Path.Combine(d, "vocab.txt")));
        Assert.Contains("\"format\": \"anvil.model/2\"", File.ReadAllText(Path.Combine(version, "manifest.json")), StringComparison.Ordinal);
        var key = ServeCommandTests.CreateKey(anvil);

        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var longText = string.Join(' ', Enumerable.Repeat("free money now", 40));

        var text = await PredictAsync(client, "spam", JsonSerializer.Serialize(new { inputs = new[] { "Meeting moved to noon, see you there", longText } }));
        var window = Enumerable.Range(0, 48).Select(h => 50f + (8f * MathF.Sin(h * MathF.PI / 12))).ToArray();
        var forecast = await PredictAsync(client, "weather", JsonSerializer.Serialize(new { inputs = new[] { window } }));

        Assert.All(text.EnumerateArray(), p => Assert.Contains(p.GetProperty("label").GetString(), new[] { "ham", "spam" }));
        Assert.False(text[0].GetProperty("truncated").GetBoolean());
        Assert.True(text[1].GetProperty("truncated").GetBoolean()); // 120 words, max_length 64
        var values = forecast[0].GetProperty("forecast").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(12, values.Length);
        Assert.All(values, v => Assert.InRange(v, 20, 110)); // °F, not standardised units: the graph restores the unit
    }

    private static async Task<JsonElement> PredictAsync(HttpClient client, string model, string json)
    {
        using var response = await client.PostAsync($"/v1/models/{model}/predict", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("predictions").Clone();
    }
}
