using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil train --dp-epsilon` through the real CLI: the budget spent, what the run records, and refusals.</summary>
public class PrivacyCommandTests
{
    private static string Spec(AnvilProcess anvil)
    {
        var path = Path.Combine(anvil.Home, "dp-cnn.json");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(AnvilProcess.RepositoryRoot, "samples", "privacy", "spec.json")));
        return path;
    }

    [Fact]
    public void APrivateRunSpendsAtMostItsBudgetAndRecordsIt()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();

        var (exit, stdout, stderr) = anvil.Run("train", "--data-dir", data, "--model", Spec(anvil), "--epochs", "2", "--limit", "256",
            "--batch-size", "64", "--optimizer", "sgd", "--lr", "1", "--dp-epsilon", "8", "--dp-delta", "1e-3", "--dp-clip", "0.5", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("DP-SGD: ε = 8 at δ = 0.001 over 2 epochs", stderr, StringComparison.Ordinal);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.InRange(json.GetProperty("dp_epsilon").GetDouble(), 0.5 * 8, 8.0);
        Assert.Equal(1e-3, json.GetProperty("dp_delta").GetDouble());
        Assert.False(json.TryGetProperty("stop_reason", out var reason) && reason.ValueKind == JsonValueKind.String, "the planned epochs fit the budget");
        var metrics = JsonDocument.Parse(anvil.Run("runs", "show", json.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement.GetProperty("metrics");
        Assert.True(metrics.GetProperty("dp_noise_multiplier").GetDouble() > 0);
        Assert.Equal(0.5, metrics.GetProperty("dp_max_grad_norm").GetDouble());
        Assert.Equal(64.0 / 256, metrics.GetProperty("dp_sampling_rate").GetDouble(), 9);
        Assert.Equal(json.GetProperty("dp_epsilon").GetDouble(), metrics.GetProperty("dp_epsilon").GetDouble(), 9);
    }

    [Fact]
    public void BadBudgetsAndModelsItCannotBoundAreOneClearErrorAndNoRun()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        string[] common = ["train", "--data-dir", data, "--epochs", "1", "--limit", "256"];

        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--model", Spec(anvil), "--dp-epsilon", "0"]), "privacy.epsilon must be a positive number");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--model", Spec(anvil), "--dp-epsilon", "3", "--dp-delta", "0.01"]), "is not below 1 / 256 training examples");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--model", Spec(anvil), "--dp-epsilon", "3", "--dp-clip", "-1"]), "privacy.max_grad_norm must be positive");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--model", Spec(anvil), "--dp-clip", "1"]), "add --dp-epsilon");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--model", "resnet-small", "--dp-epsilon", "3", "--dp-delta", "1e-3"]), "batch norm");

        BadInputTests.AssertOneClearError(anvil.Run("cv", "--data-dir", data, "--folds", "2", "--limit", "256", "--model", Spec(anvil), "--dp-epsilon", "3", "--dp-delta", "1e-3"), "Cross-validation does not train privately");

        Assert.DoesNotContain("running", anvil.Run("runs", "list").Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)] // embedding and GRU have batched per-example rules: one pass per batch
    [InlineData(true)]  // ANVIL_DP_LOOP=1, the comparison: one pass per example
    public void ATextGruTrainsPrivatelyInOnePassPerBatchOrLoopedWhenAsked(bool loop)
    {
        using var anvil = new AnvilProcess();
        if (loop)
            anvil.Variables["ANVIL_DP_LOOP"] = "1";

        var (exit, stdout, stderr) = anvil.Run("train", "--recipe", TextRunTests.WriteRecipe(anvil, epochs: 1), "--dp-epsilon", "8", "--dp-delta", "1e-3", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(loop, stderr.Contains("each example gets its own forward and backward pass", StringComparison.Ordinal));
        var line = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.InRange(line.GetProperty("dp_epsilon").GetDouble(), 0.1, 8.0);
        Assert.InRange(line.GetProperty("test_accuracy").GetDouble(), 0.0, 1.0);
    }
}
