using System.Text.Json;
using Anvil.Cli.Tests.Support;
using SkiaSharp;

namespace Anvil.Cli.Tests;

public class TrainCommandTests
{
    [Fact]
    public void FastDevRunTrainsEvaluatesPlotsAndEndsWithOneJsonLine()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();

        var (exit, stdout, stderr) = anvil.Run("train", "--data-dir", data, "--epochs", "2", "--limit", "256", "--json");

        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.InRange(json.GetProperty("test_accuracy").GetDouble(), 0.0, 1.0);
        Assert.Equal(2, json.GetProperty("epochs").GetInt32());
        Assert.True(json.GetProperty("train_seconds").GetDouble() > 0);
        Assert.True(json.GetProperty("images_per_second").GetDouble() > 0);
        var runId = json.GetProperty("run_id").GetString()!;
        var artifacts = json.GetProperty("artifacts_dir").GetString()!;
        Assert.StartsWith(anvil.Home, artifacts);
        foreach (var file in new[] { "model.weights", "spec.json", "recipe.json", "metrics.json", "history.json" })
            Assert.True(File.Exists(Path.Combine(artifacts, file)), $"{file} missing");
        foreach (var plot in new[] { "training_curves.png", "confusion_matrix.png", "roc_curves.png" })
        {
            using var image = SKBitmap.Decode(Path.Combine(artifacts, plot));
            Assert.True(image.Width > 300, $"{plot} is not a decodable PNG");
        }
        Assert.Contains("Epoch 2/2", stderr);

        var list = anvil.Run("runs", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(runId[..12], list.Stdout);
        Assert.Contains("finished", list.Stdout);

        var show = anvil.Run("runs", "show", runId[..8], "--json");
        Assert.Equal(0, show.ExitCode);
        var run = JsonDocument.Parse(show.Stdout).RootElement;
        Assert.Equal(2, run.GetProperty("epochs").GetArrayLength());
        Assert.Equal(json.GetProperty("test_accuracy").GetDouble(), run.GetProperty("metrics").GetProperty("test_accuracy").GetDouble(), 9);

        var evaluate = anvil.Run("evaluate", runId, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        Assert.Contains("macro", evaluate.Stdout);
        var evaluated = JsonDocument.Parse(evaluate.Stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(json.GetProperty("test_accuracy").GetDouble(), evaluated.GetProperty("test_accuracy").GetDouble(), 9);
    }

    [Fact]
    public void KilledRunResumesFromItsLastCheckpoint()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var runId = anvil.KillAfter("Epoch 1/30", "train", "--data-dir", data, "--model", "mlp", "--epochs", "30", "--limit", "512"); // kill -9 once the first epoch (and its checkpoint) is done
        Assert.NotNull(runId);
        Assert.Contains("running", anvil.Run("runs", "list").Stdout); // the killed process could not record its end

        var (exit, stdout, stderr) = anvil.Run("train", "--resume", runId!, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("resuming from its last checkpoint", stderr);
        Assert.DoesNotContain("Epoch 1/30", stderr);
        Assert.Contains("Epoch 30/30", stderr);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(30, json.GetProperty("epochs").GetInt32());
        var show = JsonDocument.Parse(anvil.Run("runs", "show", runId!, "--json").Stdout).RootElement;
        Assert.Equal(30, show.GetProperty("epochs").GetArrayLength());
        Assert.Equal("finished", show.GetProperty("status").GetString());
    }

    [Fact]
    public async Task SigtermStopsAfterTheCurrentBatchAndMarksTheRunInterrupted()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        using var process = anvil.Start("train", "--data-dir", data, "--model", "mlp", "--epochs", "500", "--limit", "256");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string? line;
        while ((line = process.StandardError.ReadLine()) is not null && !line.StartsWith("Epoch 1/500", StringComparison.Ordinal))
        {
        }
        using (var kill = System.Diagnostics.Process.Start("kill", $"-TERM {process.Id}"))
            kill.WaitForExit();
        _ = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Run interrupted after", output);
        Assert.Contains("--resume", output);
        Assert.Contains("interrupted", anvil.Run("runs", "list").Stdout);
    }

    [Fact]
    public void SeedCnnModelSelectsTheArticleRecipe()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();

        var (exit, stdout, stderr) = anvil.Run("train", "--data-dir", data, "--model", "seed-cnn", "--epochs", "1", "--limit", "200", "--json");

        Assert.True(exit == 0, stderr);
        var artifacts = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("artifacts_dir").GetString()!;
        var recipe = File.ReadAllText(Path.Combine(artifacts, "recipe.json"));
        Assert.Contains("\"optimizer\": \"adam\"", recipe);
        Assert.Contains("\"batch_size\": 64", recipe);
        Assert.Contains("\"name\": \"seed-cnn\"", File.ReadAllText(Path.Combine(artifacts, "spec.json")));
    }
}
