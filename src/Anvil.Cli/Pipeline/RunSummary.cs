using Anvil.Training.Metrics;
using Anvil.Training.Training;

namespace Anvil.Cli.Pipeline;

/// <summary>What `train` reports at the end, on screen and (with --json) as the last stdout line.</summary>
internal sealed record RunSummary
{
    public required string RunId { get; init; }
    public required string ArtifactsDir { get; init; }
    public required string Status { get; init; }
    public double? TestAccuracy { get; init; }
    public double? TestMacroAuc { get; init; }
    public int Epochs { get; init; }
    public double TrainSeconds { get; init; }
    public double ImagesPerSecond { get; init; }
    public double TotalSeconds { get; init; }
    public double? PeakMemoryMb { get; init; }
    public IReadOnlyList<long> LiveTensorsPerEpoch { get; init; } = [];
    public string? StopReason { get; init; }

    public static RunSummary Finished(string runId, string artifactsDir, TrainingResult result, EvaluationReport report, int trainCount, TimeSpan total) => new()
    {
        RunId = runId,
        ArtifactsDir = artifactsDir,
        Status = "finished",
        TestAccuracy = report.Accuracy,
        TestMacroAuc = report.Roc.MacroAuc,
        Epochs = result.History.Count,
        TrainSeconds = result.Elapsed.TotalSeconds,
        ImagesPerSecond = (double)trainCount * result.EpochsThisFit / result.Elapsed.TotalSeconds,
        TotalSeconds = total.TotalSeconds,
        PeakMemoryMb = TorchRuntime.PeakMemoryMb(),
        LiveTensorsPerEpoch = result.History.Select(h => h.LiveTensors).ToArray(),
        StopReason = result.StopReason,
    };

    public static RunSummary Stopped(string runId, string artifactsDir, TrainingResult result) => new()
    {
        RunId = runId,
        ArtifactsDir = artifactsDir,
        Status = result.Cancelled ? "interrupted" : "diverged",
        Epochs = result.History.Count,
        TrainSeconds = result.Elapsed.TotalSeconds,
        PeakMemoryMb = TorchRuntime.PeakMemoryMb(),
        LiveTensorsPerEpoch = result.History.Select(h => h.LiveTensors).ToArray(),
        StopReason = result.StopReason,
    };
}
