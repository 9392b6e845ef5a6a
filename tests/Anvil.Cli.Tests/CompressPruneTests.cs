using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil compress --method prune-channels`: a narrower, fine-tuned model as a new run and a new version with lineage, and it serves.</summary>
public class CompressPruneTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    [Fact]
    public async Task PrunedVersionIsSmallerHasLineageAndServes()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil, epochs: 2, limit: 512);

        var (exit, stdout, stderr) = anvil.Run("compress", "--model", "fashion", "--org", "acme", "--method", "prune-channels", "--fraction", "0.5", "--fine-tune-epochs", "1", "--json");

        Assert.True(exit == 0, stderr);
        var json = LastJsonLine(stdout);
        Assert.Equal(2, json.GetProperty("version").GetInt32());
        var prunedRun = json.GetProperty("run_id").GetString()!;
        Assert.NotEqual(runId, prunedRun);
        // seed-cnn's convolutions 32, 64, 64 → 16, 32, 32 and its dense 64 → 32: about a quarter of the weights.
        Assert.True(json.GetProperty("bytes").GetInt64() * 3 < json.GetProperty("source_bytes").GetInt64(), stdout);
        Assert.InRange(json.GetProperty("accuracy").GetDouble(), 0.3, 1.0);
        Assert.Contains("00_conv2d 32→16, 02_conv2d 64→32, 04_conv2d 64→32, 06_dense 64→32", stderr, StringComparison.Ordinal);
        Assert.Contains("distilled from the source (temperature 4, weight 0.7)", stderr, StringComparison.Ordinal); // the default fine-tuning

        var shown = JsonDocument.Parse(anvil.Run("models", "show", "fashion", "--org", "acme", "--json").Stdout).RootElement;
        var source = shown.GetProperty("sources").GetProperty("2");
        Assert.Equal("prune-channels", source.GetProperty("method").GetString());
        Assert.Equal(1, source.GetProperty("version").GetInt32());
        var run = anvil.Run("runs", "show", prunedRun[..12]);
        Assert.Contains(runId, run.Stdout, StringComparison.Ordinal); // pruned_from
        Assert.Contains($"teacher = {runId}", run.Stdout, StringComparison.Ordinal); // distilled from its source
        Assert.Contains("champion → v1", anvil.Run("models", "show", "fashion", "--org", "acme").Stdout, StringComparison.Ordinal); // no alias moved

        var key = ServeCommandTests.CreateKey(anvil);
        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var image = new[] { Enumerable.Range(0, 28).Select(y => Enumerable.Range(0, 28).Select(x => (x * y) % 256).ToArray()).ToArray() };
        using var body = new StringContent(JsonSerializer.Serialize(new { inputs = new[] { image } }), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/models/fashion/predict?version=2", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(2, JsonDocument.Parse(text).RootElement.GetProperty("predictions")[0].GetProperty("version").GetInt32());
    }

    [Fact]
    public void PruningOptionsAreCheckedInOneLine()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil);

        BadInputTests.AssertOneClearError(anvil.Run("compress", runId[..10], "--method", "int8-dynamic", "--fraction", "0.5"), "--fraction, --fine-tune-epochs and --distill-weight go with --method prune-channels");
        BadInputTests.AssertOneClearError(anvil.Run("compress", runId[..10], "--method", "int8-static", "--distill-weight", "0.5"), "--distill-weight go with --method prune-channels");
        BadInputTests.AssertOneClearError(anvil.Run("compress", runId[..10], "--method", "prune-channels", "--distill-weight", "1.5"), "--distill-weight must be in [0, 1]");
        BadInputTests.AssertOneClearError(anvil.Run("compress", runId[..10], "--method", "prune-channels", "--fraction", "1.5"), "must be in (0, 1)");
        BadInputTests.AssertOneClearError(anvil.Run("compress", runId[..10], "--method", "prune-channels", "--fine-tune-epochs", "0"), "--fine-tune-epochs must be 1 or more");
        Assert.Single(JsonDocument.Parse(anvil.Run("runs", "list", "--json").Stdout).RootElement.EnumerateArray()); // nothing recorded
    }

    [Theory]
    [InlineData("prune-channels")]
    [InlineData("prune-magnitude")]
    public void AKilledFineTuningResumesThePrunedModelAndKeepsItsPruning(string method)
    {
        using var anvil = new AnvilProcess();
        var source = ServeCommandTests.TrainAndRegister(anvil, epochs: 1, limit: 512);
        var pruned = anvil.KillAfter("Epoch 1/30", "compress", source[..12], "--method", method, "--fraction", "0.8", "--fine-tune-epochs", "30");
        Assert.NotNull(pruned);
        Assert.NotEqual(source, pruned);

        var (exit, stdout, stderr) = anvil.Run("train", "--resume", pruned!, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains($"Run {pruned}: resuming from its last checkpoint.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Epoch 1/30", stderr, StringComparison.Ordinal);
        Assert.Contains("Epoch 30/30", stderr, StringComparison.Ordinal);
        var shown = JsonDocument.Parse(anvil.Run("runs", "show", pruned!, "--json").Stdout).RootElement;
        Assert.Contains(source, shown.ToString(), StringComparison.Ordinal); // pruned_from
        using var model = new Anvil.Training.Runs.RunArtifacts(LastJsonLine(stdout).GetProperty("artifacts_dir").GetString()!).LoadModel();
        if (method == "prune-channels")
            Assert.Equal(16, model.Spec.Layers[0].Filters); // seed-cnn's 32 filters, 80% removed, kept a multiple of 16
        else
            Assert.InRange(Anvil.Training.Compression.MagnitudePruning.Sparsity(model), 0.799, 1.0); // the zeros stayed zero through the resumed epochs
    }
}
