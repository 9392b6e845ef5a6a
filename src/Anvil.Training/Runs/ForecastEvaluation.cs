using Anvil.Training.Data;
using Anvil.Training.Data.Series;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Plots;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>
/// Evaluates a forecaster on its test windows in the series' original unit: the model's outputs × target std +
/// target mean (what the exported graph does), against the raw test targets; beside it the seasonal-naive baseline
/// (the value one season earlier) on the same windows; and a plot of the first week of test data at horizon
/// step t+Horizon, the day-ahead forecast for hourly data.
/// </summary>
internal static class ForecastEvaluation
{
    private const int BatchSize = 1000;
    private static readonly TimeSpan PlottedSpan = TimeSpan.FromDays(7);

    /// <summary>test_mae, test_rmse and seasonal_naive_mae; writes the forecast plot to <paramref name="plotPath"/>.</summary>
    public static Dictionary<string, double> Run(SpecModel model, PreparedData data, string plotPath, TextWriter progress, bool interactive)
    {
        var layout = data.Series ?? throw new ArgumentException("A forecast is evaluated on series data; this run's data has no \"series\" in its recipe.");
        var options = layout.Options;
        var preprocessing = data.Preprocessing ?? throw new ArgumentException("A forecast needs the series' fitted normalisation; this run has none.");
        var forecasts = Predict(model, data.Test.Features, TargetStandardization.From(preprocessing), new EvaluationProgress(progress, interactive, "forecast"));
        var targets = data.Test.Targets.data<float>().ToArray(); // (N·Horizon), original unit
        var (mae, rmse) = Errors(forecasts, targets);
        SavePlot(layout, forecasts, targets, plotPath);
        return new Dictionary<string, double>
        {
            ["test_mae"] = mae,
            ["test_rmse"] = rmse,
            ["seasonal_naive_mae"] = SeasonalNaiveMae(RawInputs(data.Test, preprocessing), targets, options),
        };
    }

    /// <summary>test_mae and seasonal_naive_mae of a cross-validation fold: standardised inputs, targets in the original unit.</summary>
    public static double[] FoldFigures(SpecModel model, TensorDataset heldOut, PreprocessingSpec preprocessing, SeriesOptions options)
    {
        var forecasts = Predict(model, heldOut.Features, TargetStandardization.From(preprocessing), new EvaluationProgress(TextWriter.Null, false, "forecast"));
        var targets = heldOut.Targets.data<float>().ToArray();
        return [Errors(forecasts, targets).Mae, SeasonalNaiveMae(RawInputs(heldOut, preprocessing), targets, options)];
    }

    private static double SeasonalNaiveMae(float[] rawInputs, float[] targets, SeriesOptions options) =>
        SeasonalNaive.MeanAbsoluteError(SeasonalNaive.Forecast(rawInputs, options.Input, options.Horizon, options.Season), targets);

    /// <summary>(N, T, F) standardised inputs → N·Horizon forecasts in the original unit, row-major.</summary>
    private static float[] Predict(SpecModel model, Tensor features, TargetStandardization targets, EvaluationProgress progress)
    {
        var count = (int)features.shape[0];
        var total = (count + BatchSize - 1) / BatchSize;
        progress.Start(count);
        var wasTraining = model.training;
        model.eval();
        var forecasts = new List<float>();
        using (no_grad())
        {
            for (var start = 0; start < count; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var outputs = model.forward(features.narrow(0, start, Math.Min(BatchSize, count - start))); // (B, Horizon) standardised
                forecasts.AddRange(targets.Restore(outputs).data<float>().ToArray());
                progress.Report((start / BatchSize) + 1, total);
            }
        }
        model.train(wasTraining);
        return [.. forecasts];
    }

    private static (double Mae, double Rmse) Errors(float[] forecasts, float[] targets)
    {
        double absolute = 0, squared = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var error = (double)forecasts[i] - targets[i];
            absolute += Math.Abs(error);
            squared += error * error;
        }
        return (absolute / targets.Length, Math.Sqrt(squared / targets.Length));
    }

    /// <summary>The windows' first feature back in the original unit (N·Input), for the seasonal-naive baseline.</summary>
    private static float[] RawInputs(TensorDataset windows, PreprocessingSpec preprocessing)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = (preprocessing.Mean[0], preprocessing.Std[0]);
        return windows.Features.select(2, 0).mul(std).add(mean).contiguous().data<float>().ToArray(); // (N, Input)
    }

    private static void SavePlot(SeriesLayout layout, float[] forecasts, float[] targets, string path)
    {
        var horizon = layout.Options.Horizon;
        var windows = targets.Length / horizon;
        var points = Math.Max(1, Math.Min(windows, (int)(PlottedSpan / layout.Step)));
        var times = Enumerable.Range(0, points).Select(n => layout.TestTargetTime(n, horizon)).ToArray();
        var truth = Enumerable.Range(0, points).Select(n => targets[(n * horizon) + horizon - 1]).ToArray();
        var forecast = Enumerable.Range(0, points).Select(n => forecasts[(n * horizon) + horizon - 1]).ToArray();
        ForecastPlot.Save(times, truth, forecast, $"{layout.Options.ValueColumn} (forecast t+{horizon})", path);
    }
}
