using System.Text.Json.Serialization;
using Anvil.Training.Metrics;
using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>What a training run reports at the end, on screen and (with --json) as the last stdout line.</summary>
/// <example>
/// <code>if (summary.Outcome == RunOutcome.Finished) Console.WriteLine(summary.TestAccuracy);</code>
/// </example>
public sealed record RunSummary
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }
    /// <summary>The run's artifacts folder.</summary>
    public required string ArtifactsDir { get; init; }
    /// <summary>How the run ended (serialised as <c>status</c>).</summary>
    [JsonPropertyName("status")]
    public required RunOutcome Outcome { get; init; }
    /// <summary>Single-view test accuracy: what the served model delivers.</summary>
    public double? TestAccuracy { get; init; }
    /// <summary>Test accuracy with test-time augmentation; null when the recipe has none.</summary>
    public double? TestAccuracyTta { get; init; }
    /// <summary>Single-view macro one-vs-rest AUC.</summary>
    public double? TestMacroAuc { get; init; }
    /// <summary>A forecaster's mean absolute error on the test windows, in the series' unit.</summary>
    public double? TestMae { get; init; }
    /// <summary>A forecaster's root mean squared error on the test windows, in the series' unit.</summary>
    public double? TestRmse { get; init; }
    /// <summary>The seasonal-naive baseline's mean absolute error on the same test windows.</summary>
    public double? SeasonalNaiveMae { get; init; }
    /// <summary>Epochs trained, including those before a resume.</summary>
    public int Epochs { get; init; }
    /// <summary>Training wall time of this session.</summary>
    public double TrainSeconds { get; init; }
    /// <summary>Training samples per second in this session.</summary>
    public double ImagesPerSecond { get; init; }
    /// <summary>Wall time of the whole command.</summary>
    public double TotalSeconds { get; init; }
    /// <summary>Peak resident memory, when the platform reports it.</summary>
    public double? PeakMemoryMb { get; init; }
    /// <summary>Live tensors after each epoch (flat when nothing leaks).</summary>
    public IReadOnlyList<long> LiveTensorsPerEpoch { get; init; } = [];
    /// <summary>Why training stopped early, if it did.</summary>
    public string? StopReason { get; init; }
    /// <summary>Figures of the task, e.g. for texts test_auc, test_f1 and baseline_test_auc; written as top-level fields of the JSON line.</summary>
    [JsonExtensionData]
    public Dictionary<string, object>? Figures { get; init; }

    /// <summary>A run that trained and was evaluated.</summary>
    public static RunSummary Finished(string runId, string artifactsDir, TrainingResult result, TestMetrics test, int trainCount, TimeSpan total)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(test);
        return Stopped(runId, artifactsDir, result) with
        {
            Outcome = RunOutcome.Finished,
            TestAccuracy = test.SingleView.Accuracy,
            TestAccuracyTta = test.Augmented?.Accuracy,
            TestMacroAuc = test.SingleView.Roc.MacroAuc,
            ImagesPerSecond = (double)trainCount * result.EpochsThisFit / result.Elapsed.TotalSeconds,
            TotalSeconds = total.TotalSeconds,
        };
    }

    /// <summary>A forecaster that trained and was evaluated; <paramref name="metrics"/> holds test_mae, test_rmse and seasonal_naive_mae.</summary>
    public static RunSummary Forecasted(string runId, string artifactsDir, TrainingResult result, IReadOnlyDictionary<string, double> metrics, int trainCount, TimeSpan total)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(metrics);
        return Stopped(runId, artifactsDir, result) with
        {
            Outcome = RunOutcome.Finished,
            TestMae = metrics["test_mae"],
            TestRmse = metrics["test_rmse"],
            SeasonalNaiveMae = metrics["seasonal_naive_mae"],
            ImagesPerSecond = (double)trainCount * result.EpochsThisFit / result.Elapsed.TotalSeconds,
            TotalSeconds = total.TotalSeconds,
        };
    }

    /// <summary>A finished GAN run: its figures (<c>frechet_distance</c>, <c>frechet_distance_epoch1</c>, <c>class_coverage</c>, …) go in the summary as they are.</summary>
    public static RunSummary Generated(string runId, string artifactsDir, TrainingResult result, IReadOnlyDictionary<string, double> metrics, int trainCount, TimeSpan total)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(metrics);
        return Stopped(runId, artifactsDir, result) with
        {
            Outcome = RunOutcome.Finished,
            ImagesPerSecond = (double)trainCount * result.EpochsThisFit / result.Elapsed.TotalSeconds,
            TotalSeconds = total.TotalSeconds,
            Figures = metrics.ToDictionary(m => m.Key, m => (object)m.Value),
        };
    }

    /// <summary>
    /// A tuning trial its pruner stopped: it trained, but the test set is not touched — a pruned trial is judged on
    /// validation only, and its test evaluation would cost time the pruner just saved.
    /// </summary>
    public static RunSummary Pruned(string runId, string artifactsDir, TrainingResult result, int trainCount, TimeSpan total)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Stopped(runId, artifactsDir, result) with
        {
            Outcome = RunOutcome.Finished,
            ImagesPerSecond = (double)trainCount * result.EpochsThisFit / result.Elapsed.TotalSeconds,
            TotalSeconds = total.TotalSeconds,
        };
    }

    /// <summary>What training cost, recorded beside the test figures: epochs, train_seconds, images_per_second, peak_memory_mb.</summary>
    public void AddTrainingFigures(IDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics["epochs"] = Epochs;
        metrics["train_seconds"] = TrainSeconds;
        metrics["images_per_second"] = ImagesPerSecond;
        if (PeakMemoryMb is { } peak)
            metrics["peak_memory_mb"] = peak;
    }

    /// <summary>A run that was interrupted or diverged before evaluation.</summary>
    public static RunSummary Stopped(string runId, string artifactsDir, TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new()
        {
            RunId = runId,
            ArtifactsDir = artifactsDir,
            Outcome = result.Cancelled ? RunOutcome.Interrupted : RunOutcome.Diverged,
            Epochs = result.History.Count,
            TrainSeconds = result.Elapsed.TotalSeconds,
            PeakMemoryMb = TorchRuntime.PeakMemoryMb(),
            LiveTensorsPerEpoch = result.History.Select(h => h.LiveTensors).ToArray(),
            StopReason = result.StopReason,
        };
    }
}
