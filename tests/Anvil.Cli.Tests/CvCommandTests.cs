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
        var folds = json.GetProperty("fold_accuracy").EnumerateArray().Select(a => a.GetDouble()).ToArray();
        Assert.Equal(3, folds.Length);
        Assert.All(folds, a => Assert.InRange(a, 0.0, 1.0));
        Assert.Equal(folds.Average(), json.GetProperty("cv_mean_accuracy").GetDouble(), 9);
        Assert.Contains("Fold 3/3", stderr);
        var run = JsonDocument.Parse(anvil.Run("runs", "show", json.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement;
        Assert.Equal(folds[2], run.GetProperty("metrics").GetProperty("fold3_accuracy").GetDouble(), 9);
    }

    [Fact]
    public void TextCrossValidationReportsAccuracyAndAucPerFold()
    {
        using var anvil = new AnvilProcess();

        var (exit, stdout, stderr) = anvil.Run("cv", "--recipe", TextRunTests.WriteRecipe(anvil, epochs: 1), "--folds", "2", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("training the text-gru model", stderr);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        foreach (var figure in new[] { "accuracy", "auc" })
        {
            var folds = json.GetProperty($"fold_{figure}").EnumerateArray().Select(a => a.GetDouble()).ToArray();
            Assert.Equal(2, folds.Length);
            Assert.All(folds, a => Assert.InRange(a, 0.0, 1.0));
            Assert.Equal(folds.Average(), json.GetProperty($"cv_mean_{figure}").GetDouble(), 9);
        }
        Assert.Contains("2-fold accuracy", stdout);
    }

    [Fact]
    public void SeriesCrossValidationReportsTheMaeAndTheSeasonalNaiveOfRollingOriginFolds()
    {
        using var anvil = new AnvilProcess();

        var (exit, stdout, stderr) = anvil.Run("cv", "--recipe", SeriesForecastTests.WriteRecipe(anvil, epochs: 1), "--folds", "2", "--json");

        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        var mae = json.GetProperty("fold_test_mae").EnumerateArray().Select(a => a.GetDouble()).ToArray();
        var naive = json.GetProperty("fold_seasonal_naive_mae").EnumerateArray().Select(a => a.GetDouble()).ToArray();
        Assert.Equal(2, mae.Length);
        Assert.All(naive, m => Assert.InRange(m, 0.01, 20)); // °F: the same hour a day earlier
        Assert.InRange(json.GetProperty("cv_std_test_mae").GetDouble(), 0, 1e6);
        var run = JsonDocument.Parse(anvil.Run("runs", "show", json.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement;
        Assert.Equal(naive[1], run.GetProperty("metrics").GetProperty("fold2_seasonal_naive_mae").GetDouble(), 9);
    }
}
