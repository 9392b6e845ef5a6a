using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>Prints a run's summary for people, and with --json one JSON line last.</summary>
internal static class RunReport
{
    private static string LiveTensors(IReadOnlyList<long> counts) =>
        counts.Count > 12 && counts.Distinct().Count() == 1
            ? $"{counts[0]} after every one of {counts.Count} epochs"
            : string.Join(", ", counts);

    private static string Epochs(int count) => $"{count} epoch{(count == 1 ? "" : "s")}";

    public static void Print(RunSummary s, bool json)
    {
        if (s is { Outcome: RunOutcome.Finished, TestMae: { } mae })
        {
            Console.WriteLine($"Test MAE {mae:F3}, RMSE {s.TestRmse:F3} (the series' unit); seasonal naive MAE {s.SeasonalNaiveMae:F3} (ratio {mae / s.SeasonalNaiveMae:F3}) after {Epochs(s.Epochs)}.");
            Console.WriteLine($"Training took {s.TrainSeconds:F1}s ({s.ImagesPerSecond:N0} windows/s); whole run {s.TotalSeconds:F1}s; peak memory {s.PeakMemoryMb:N0} MiB.");
        }
        else if (s.Outcome == RunOutcome.Finished)
        {
            var tta = s.TestAccuracyTta is { } augmented ? $" (with test-time augmentation {augmented:P2}, not what the served model does)" : "";
            Console.WriteLine($"Test accuracy {s.TestAccuracy:P2}{tta}, macro AUC {s.TestMacroAuc:F4} after {Epochs(s.Epochs)}.");
            Console.WriteLine($"Training took {s.TrainSeconds:F1}s ({s.ImagesPerSecond:N0} images/s); whole run {s.TotalSeconds:F1}s; peak memory {s.PeakMemoryMb:N0} MiB.");
            Console.WriteLine($"Live tensors after each epoch: {LiveTensors(s.LiveTensorsPerEpoch)}.");
            if (s.Figures is { Count: > 0 } figures)
                Console.WriteLine($"Also: {string.Join(", ", figures.Select(f => f.Value is double d ? $"{f.Key} {d:0.####}" : $"{f.Key} {f.Value}"))}.");
        }
        else
        {
            var status = s.Outcome == RunOutcome.Interrupted ? "interrupted" : "diverged";
            Console.WriteLine($"Run {status} after {Epochs(s.Epochs)}{(s.StopReason is null ? "" : $": {s.StopReason}")}. Resume it with ./anvil train --resume {s.RunId}.");
        }
        Console.WriteLine($"Run {s.RunId}; artifacts in {s.ArtifactsDir}");
        if (json)
            Console.WriteLine(JsonOutput.Serialize(s));
    }
}
