using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

public class CvCommandTests
{
    [Fact]
    public void CrossValidationReportsEveryFoldAndRecordsARun()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();

        var (exit, stdout, stderr) = anvil.Run("cv", "--data-dir", data, "--model", "mlp", "--folds", "3", "--epochs", "1", "--limit", "300", "--json");

        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        var folds = json.GetProperty("fold_accuracies").EnumerateArray().Select(a => a.GetDouble()).ToArray();
        Assert.Equal(3, folds.Length);
        Assert.All(folds, a => Assert.InRange(a, 0.0, 1.0));
        Assert.Equal(folds.Average(), json.GetProperty("cv_mean_accuracy").GetDouble(), 9);
        Assert.Contains("Fold 3/3", stderr);
        var run = JsonDocument.Parse(anvil.Run("runs", "show", json.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement;
        Assert.Equal(folds[2], run.GetProperty("metrics").GetProperty("fold3_accuracy").GetDouble(), 9);
    }
}
