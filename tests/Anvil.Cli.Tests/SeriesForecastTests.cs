using System.Text.Json;
using System.Text.Json.Nodes;
using Anvil.Cli.Tests.Support;
using SkiaSharp;

namespace Anvil.Cli.Tests;

/// <summary>A recipe's "series" trains a forecaster end to end on the committed 500-hour Seattle sample.</summary>
public class SeriesForecastTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    // Windows small enough for 501 hours: 48 in, 12 out, a 10-hour gap; the model is left to the data.
    internal static string WriteRecipe(AnvilProcess anvil, string? field = null, JsonNode? value = null, int epochs = 2)
    {
        var csv = Path.Combine(anvil.Home, "seattle.csv");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "seattle", "seattle-temps-sample.csv"), csv, overwrite: true);
        var series = new JsonObject { ["value_column"] = "temp", ["input"] = 48, ["horizon"] = 12, ["gap"] = 10, ["season"] = 24 };
        if (field is not null)
            series[field] = value;
        var recipe = new JsonObject
        {
            ["data"] = csv, ["epochs"] = epochs, ["batch_size"] = 32, ["validation_fraction"] = 0.1, ["threads"] = 1, ["seed"] = 1, ["series"] = series,
        };
        var path = Path.Combine(anvil.Home, "recipe.json");
        File.WriteAllText(path, recipe.ToJsonString());
        return path;
    }

    [Fact]
    public void SeriesRecipeTrainsTheGruAndRecordsMaeRmseAndTheSeasonalNaive()
    {
        using var anvil = new AnvilProcess();
        var recipe = WriteRecipe(anvil);

        var (exit, stdout, stderr) = anvil.Run("train", "--recipe", recipe, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("The data are a series: training the series-gru model", stderr);
        var json = LastJsonLine(stdout);
        var (mae, rmse, naive) = (json.GetProperty("test_mae").GetDouble(), json.GetProperty("test_rmse").GetDouble(), json.GetProperty("seasonal_naive_mae").GetDouble());
        Assert.InRange(mae, 1e-6, rmse);
        Assert.InRange(naive, 0.01, 20); // °F: the same hour a day earlier
        Assert.False(json.TryGetProperty("test_accuracy", out _));
        var artifacts = json.GetProperty("artifacts_dir").GetString()!;
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(artifacts, "metrics.json"))).RootElement;
        Assert.Equal(mae, metrics.GetProperty("test_mae").GetDouble(), 9);
        Assert.Equal(naive, metrics.GetProperty("seasonal_naive_mae").GetDouble(), 9);
        using (var plot = SKBitmap.Decode(Path.Combine(artifacts, "forecast.png")))
            Assert.True(plot.Width > 300, "forecast.png is not a decodable PNG");
        Assert.False(File.Exists(Path.Combine(artifacts, "confusion_matrix.png")), "a regressor has no confusion matrix");
        var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(artifacts, "spec.json"))).RootElement;
        Assert.Equal("regression", spec.GetProperty("head").GetString());
        Assert.Equal(12, spec.GetProperty("preprocessing").GetProperty("target_std").GetArrayLength());

        var runId = json.GetProperty("run_id").GetString()!;
        var recorded = JsonDocument.Parse(anvil.Run("runs", "show", runId, "--json").Stdout).RootElement.GetProperty("metrics");
        Assert.Equal(rmse, recorded.GetProperty("test_rmse").GetDouble(), 9);
        Assert.Equal(naive, recorded.GetProperty("seasonal_naive_mae").GetDouble(), 9);

        // evaluate rebuilds the same windows, split and normalisation: the same figures, written apart.
        var evaluate = anvil.Run("evaluate", runId, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        var evaluated = LastJsonLine(evaluate.Stdout);
        Assert.Equal(mae, evaluated.GetProperty("test_mae").GetDouble(), 6);
        Assert.Equal(naive, evaluated.GetProperty("seasonal_naive_mae").GetDouble(), 9);
        Assert.True(File.Exists(Path.Combine(artifacts, "evaluation_forecast.png")));
    }

    [Fact]
    public void KilledSeriesRunResumesOnTheSameWindows()
    {
        using var anvil = new AnvilProcess();
        var recipe = WriteRecipe(anvil, epochs: 60); // long enough that the kill lands mid-run
        var runId = anvil.KillAfter("Epoch 1/60", "train", "--recipe", recipe); // kill -9 once the first epoch (and its checkpoint) is done
        Assert.NotNull(runId);

        var (exit, stdout, stderr) = anvil.Run("train", "--resume", runId!, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("resuming from its last checkpoint", stderr);
        Assert.DoesNotContain("Epoch 1/60", stderr);
        var resumed = LastJsonLine(stdout);
        Assert.Equal(60, resumed.GetProperty("epochs").GetInt32());
        // The resumed run tested on the windows a fresh load of its recipe gives: evaluate finds the same figures.
        var evaluated = LastJsonLine(anvil.Run("evaluate", runId!, "--json").Stdout);
        Assert.Equal(resumed.GetProperty("test_mae").GetDouble(), evaluated.GetProperty("test_mae").GetDouble(), 6);
        Assert.Equal(resumed.GetProperty("seasonal_naive_mae").GetDouble(), evaluated.GetProperty("seasonal_naive_mae").GetDouble(), 9);
    }

    [Theory]
    [InlineData("value_column", "tmp", "train", "no column 'tmp'", "series.value_column")]
    [InlineData("time_column", "when", "train", "no column 'when'", "series.time_column")]
    [InlineData("max_gap", "0", "train", "1 value(s) missing from 2010-03-14 03:00", "series.max_gap")]
    [InlineData("test_fraction", "0.1", "train", "each part needs at least one window", "series.input")]
    [InlineData("season", "72", "train", "series.season must be in [1, series.input = 48]", "got 72")]
    [InlineData("horizon", "2000", "train", "series.horizon must be in [1, 1000]", "got 2000")]
    public void BadSeriesInputIsOneLineAndRecordsNoRun(string? field, string? value, string command, string expected, string fix)
    {
        using var anvil = new AnvilProcess();
        var recipe = WriteRecipe(anvil, field, value is null ? null : JsonNode.Parse(double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) ? value : $"\"{value}\""));

        var (exit, _, stderr) = anvil.Run(command, "--recipe", recipe);

        Assert.Equal(1, exit);
        var errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 1, stderr);
        Assert.Contains(expected, errors[0]);
        Assert.Contains(fix, errors[0]);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal("[]", anvil.Run("runs", "list", "--json").Stdout.Trim());
    }
}
