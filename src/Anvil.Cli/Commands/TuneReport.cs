using System.Globalization;
using Anvil.Training.Tuning;

namespace Anvil.Cli.Commands;

/// <summary>Prints a study for people: its trials as a table and where it stands (its best trial, or its Pareto front).</summary>
internal static class TuneReport
{
    public static void PrintTable(StudyDefinition study, IReadOnlyList<TrialRecord> trials)
    {
        var space = study.SearchSpace();
        var pruner = study.Pruner?.Type ?? "no pruner";
        var objectives = string.Join(", ", study.AllObjectives.Select(g => $"{g.Direction} {g.Metric}"));
        Console.WriteLine($"Study {study.Name}: {objectives}, {study.Sampler} sampler, {pruner}; {trials.Count} trial{(trials.Count == 1 ? "" : "s")}.");
        var width = study.IsMultiObjective ? 9 * study.AllObjectives.Count : 8; // "0.8123 / 0.0317": up to 9 characters a value
        var header = study.IsMultiObjective ? "values" : "value";
        Console.WriteLine($"{"trial",5}  {"state",-8}  {header.PadLeft(width)}  {"epochs",6}  {"run",-12}  parameters");
        foreach (var t in trials)
        {
            var value = study.IsMultiObjective
                ? t.Values is { } values ? string.Join(" / ", values.Select(Format)) : "-"
                : t.Value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
            var run = t.RunId is null ? "-" : t.RunId[..Math.Min(12, t.RunId.Length)];
            Console.WriteLine($"{t.Number,5}  {t.State.ToString().ToLowerInvariant(),-8}  {value.PadLeft(width)}  {t.Intermediate.Count,6}  {run,-12}  {space.Describe(t.Parameters)}");
        }
    }

    public static void PrintSummary(StudyDefinition study, StudySummary s)
    {
        var counts = $"{s.TrialsComplete} complete, {s.TrialsPruned} pruned, {s.TrialsFailed} failed, {s.TrialsRunning} running; {s.TrainSecondsTotal:F1}s of training";
        if (s.ParetoFront is { } front)
        {
            Console.WriteLine(front.Count == 0 ? $"No trial has completed yet. {counts}." : $"Pareto front: {front.Count} of {s.TrialsComplete} complete trials. {counts}.");
            if (front.Count > 0)
                PrintFront(study, front);
            return;
        }
        Console.WriteLine(s.BestTrial is { } best
            ? $"Best: trial {best}, {s.Metric} {s.BestValue:0.0000} (run {s.BestRunId}). {counts}."
            : $"No trial has completed yet. {counts}.");
    }

    private static void PrintFront(StudyDefinition study, IReadOnlyList<ParetoPoint> front)
    {
        Console.WriteLine($"{"trial",5}  {string.Join("  ", study.AllObjectives.Select(g => $"{g.Metric,12}"))}  {"run",-12}");
        foreach (var point in front)
        {
            var run = point.RunId is null ? "-" : point.RunId[..Math.Min(12, point.RunId.Length)];
            Console.WriteLine($"{point.Trial,5}  {string.Join("  ", point.Values.Select(v => $"{Format(v),12}"))}  {run,-12}");
        }
    }

    // Accuracies and milliseconds to 4 significant digits, byte counts whole.
    private static string Format(double value) => value >= 10_000 && value == Math.Floor(value)
        ? value.ToString("0", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);
}
