using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil compress --model NAME --org ORG`: the int8 graph becomes a new signed version with lineage, and it serves.</summary>
public class CompressVersionTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    // The first `count` images of the sample's test split as 28×28 whole pixel values, as a client sends them.
    private static int[][][][] SampleImages(AnvilProcess anvil, int count)
    {
        using var file = File.OpenRead(Path.Combine(anvil.SampleFashionMnist(), "t10k-images-idx3-ubyte.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var bytes = new byte[16 + count * 28 * 28];
        gzip.ReadExactly(bytes);
        return Enumerable.Range(0, count).Select(i => new[]
        {
            Enumerable.Range(0, 28).Select(y => Enumerable.Range(0, 28).Select(x => (int)bytes[16 + i * 784 + y * 28 + x]).ToArray()).ToArray(),
        }).ToArray();
    }

    private static async Task<JsonElement[]> Predict(HttpClient client, int version, int[][][][] images)
    {
        using var body = new StringContent(JsonSerializer.Serialize(new { inputs = images }), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/v1/models/fashion/predict?version={version}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var predictions = JsonDocument.Parse(text).RootElement.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.All(predictions, p => Assert.Equal(version, p.GetProperty("version").GetInt32()));
        return predictions;
    }

    [Fact]
    public async Task CompressedVersionIsRegisteredWithLineageAndServesTheFloatVersionsTopOne()
    {
        using var anvil = new AnvilProcess();
        // All 512 sample images for 4 epochs: enough that many test images get a clear float top-1 to compare.
        var trained = anvil.Run("train", "--data-dir", anvil.SampleFashionMnist(), "--model", "seed-cnn", "--epochs", "4", "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = LastJsonLine(trained.Stdout).GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        Assert.Equal(0, anvil.Run("register", runId[..10], "--name", "fashion", "--org", "acme").ExitCode);

        var (exit, stdout, stderr) = anvil.Run("compress", "--model", "fashion", "--org", "acme", "--method", "int8-static", "--calibration", "32", "--alias-to", "small", "--json");

        Assert.True(exit == 0, stderr);
        var json = LastJsonLine(stdout);
        Assert.Equal(1, json.GetProperty("source_version").GetInt32());
        Assert.Equal(2, json.GetProperty("version").GetInt32());
        Assert.Equal(runId, json.GetProperty("run_id").GetString());
        Assert.True(json.GetProperty("bytes").GetInt64() * 3 < json.GetProperty("source_bytes").GetInt64(), stdout);
        Assert.True(json.GetProperty("latency_ms_b32").GetDouble() > 0, stdout);

        var show = anvil.Run("models", "show", "fashion", "--org", "acme");
        Assert.Contains("int8-static of v1 (calibration 32)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("champion → v1, small → v2", show.Stdout, StringComparison.Ordinal); // only --alias-to moved
        var shown = JsonDocument.Parse(anvil.Run("models", "show", "fashion", "--org", "acme", "--json").Stdout).RootElement;
        var source = shown.GetProperty("sources").GetProperty("2");
        Assert.Equal(shown.GetProperty("versions")[0].GetProperty("manifest_digest").GetString(), source.GetProperty("manifest_digest").GetString());
        Assert.Equal("int8-static", source.GetProperty("method").GetString());
        Assert.False(shown.GetProperty("sources").TryGetProperty("1", out _));
        Assert.Equal(0, anvil.Run("robustness", runId[..10], "--eps", "0.1", "--steps", "2", "--limit", "20").ExitCode);
        var trust = JsonDocument.Parse(anvil.Run("models", "trust", "fashion", "--org", "acme", "--version", "2", "--refresh", "--json").Stdout).RootElement;
        Assert.Equal(json.GetProperty("accuracy").GetDouble(), trust.GetProperty("metrics").GetProperty("values").GetProperty("test_accuracy").GetDouble()); // the int8 graph's own
        Assert.Contains("int8-static of version 1 was not attacked", trust.GetProperty("robustness").GetProperty("note").GetString(), StringComparison.Ordinal);
        BadInputTests.AssertOneClearError(anvil.Run("compress", "--model", "fashion", "--org", "acme", "--version", "2", "--method", "int8-dynamic"),
            "version 2 is already int8-static", "--version 1");

        var key = ServeCommandTests.CreateKey(anvil);
        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var images = SampleImages(anvil, 16);
        var floats = await Predict(client, 1, images);
        var int8 = await Predict(client, 2, images);
        var compared = 0;
        var margins = new List<double>();
        for (var i = 0; i < images.Length; i++)
        {
            var p = floats[i].GetProperty("probabilities").EnumerateObject().Select(c => c.Value.GetDouble()).ToArray();
            var q = int8[i].GetProperty("probabilities").EnumerateObject().Select(c => c.Value.GetDouble()).ToArray();
            // int8-static stays within 0.05 of the float probabilities (decision 0009 measured ≤ 0.026), so the
            // top-1 must agree wherever the float model's top two classes are more than 0.1 apart.
            Assert.All(p.Zip(q), pair => Assert.InRange(pair.Second, pair.First - 0.05, pair.First + 0.05));
            var sorted = p.Order().ToArray();
            margins.Add(sorted[^1] - sorted[^2]);
            if (sorted[^1] - sorted[^2] <= 0.1)
                continue;
            compared++;
            Assert.Equal(floats[i].GetProperty("label").GetString(), int8[i].GetProperty("label").GetString());
        }
        Assert.True(compared >= 4, $"only {compared} of {images.Length} images had a clear float top-1; margins {string.Join(", ", margins.Select(m => m.ToString("F3")))}");
    }

    [Fact]
    public void CompressingAMissingOrForeignVersionOrAForecasterIsAOneLineError()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil);
        Assert.Equal(0, anvil.Run("orgs", "create", "rival").ExitCode);
        Assert.Equal(0, anvil.Run("register", runId[..10], "--name", "secret", "--org", "rival").ExitCode);
        var series = anvil.Run("train", "--recipe", SeriesForecastTests.WriteRecipe(anvil, epochs: 1), "--json");
        Assert.True(series.ExitCode == 0, series.Stderr);
        Assert.Equal(0, anvil.Run("register", LastJsonLine(series.Stdout).GetProperty("run_id").GetString()![..10], "--name", "forecast", "--org", "acme").ExitCode);

        var foreign = anvil.Run("compress", "--model", "secret", "--org", "acme", "--method", "int8-dynamic");
        BadInputTests.AssertOneClearError(foreign, "Organization 'acme' has no model 'secret'", "./anvil models list --org acme");
        Assert.Equal(anvil.Run("compress", "--model", "nothing", "--org", "acme", "--method", "int8-dynamic").Stderr.Replace("nothing", "secret", StringComparison.Ordinal), foreign.Stderr);
        BadInputTests.AssertOneClearError(anvil.Run("compress", "--model", "fashion", "--org", "acme", "--version", "9", "--method", "int8-dynamic"), "Model 'fashion' has no version 9; its versions are 1.");
        BadInputTests.AssertOneClearError(anvil.Run("compress", "--model", "fashion", "--org", "acme", "--alias", "staging", "--method", "int8-dynamic"), "no alias 'staging'", "champion");
        BadInputTests.AssertOneClearError(anvil.Run("compress", "--model", "fashion", "--method", "int8-dynamic"), "--org is required with --model");
        BadInputTests.AssertOneClearError(anvil.Run("compress", runId[..10], "--model", "fashion", "--org", "acme", "--method", "int8-dynamic"), "either RUN or --model");
        BadInputTests.AssertOneClearError(anvil.Run("compress", runId[..10], "--org", "acme", "--method", "int8-dynamic"), "go with --model");
        BadInputTests.AssertOneClearError(anvil.Run("compress", "--model", "forecast", "--org", "acme", "--method", "int8-dynamic"),
            "Model 'forecast' version 1 is a regressor", "image and feature classifiers only");
        Assert.DoesNotContain("v2", anvil.Run("models", "show", "fashion", "--org", "acme").Stdout, StringComparison.Ordinal);
    }
}
