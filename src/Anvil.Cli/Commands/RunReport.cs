using Anvil.Cli.Pipeline;

namespace Anvil.Cli.Commands;

/// <summary>Prints a run's summary for people, and with --json one JSON line last.</summary>
internal static class RunReport
{
    private static string LiveTensors(IReadOnlyList<long> counts) =>
        counts.Count > 12 && counts.Distinct().Count() == 1
            ? $"{counts[0]} after every one of {counts.Count} epochs"
            : string.Join(", ", counts);

    public static void Print(RunSummary s, bool json)
    {
        if (s.Status == "finished")
        {
            Console.WriteLine($"Test accuracy {s.TestAccuracy:P2}, macro AUC {s.TestMacroAuc:F4} after {s.Epochs} epochs.");
            Console.WriteLine($"Training took {s.TrainSeconds:F1}s ({s.ImagesPerSecond:N0} images/s); whole run {s.TotalSeconds:F1}s; peak memory {s.PeakMemoryMb:N0} MiB.");
            Console.WriteLine($"Live tensors after each epoch: {LiveTensors(s.LiveTensorsPerEpoch)}.");
        }
        else
        {
            Console.WriteLine($"Run {s.Status} after {s.Epochs} epochs{(s.StopReason is null ? "" : $": {s.StopReason}")}. Resume it with ./anvil train --resume {s.RunId}.");
        }
        Console.WriteLine($"Run {s.RunId}; artifacts in {s.ArtifactsDir}");
        if (json)
            Console.WriteLine(JsonOutput.Serialize(s));
    }
}
