using System.Globalization;
using Anvil.Training.Tuning;
using Spectre.Console;

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
        var table = new ConsoleTable(("trial", Justify.Right), ("state", Justify.Left), (study.IsMultiObjective ? "values" : "value", Justify.Right),
            ("epochs", Justify.Right), ("run", Justify.Left), ("parameters", Justify.Left));
        foreach (var t in trials)
        {
            var value = study.IsMultiObjective
                ? t.Values is { } values ? string.Join(" / ", values.Select(Format)) : "-"
                : t.Value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
            table.Add($"{t.Number}", t.State.ToString().ToLowerInvariant(), value, $"{t.Intermediate.Count}", Short(t.RunId), space.Describe(t.Parameters));
        }

        table.Write(Console.Out);
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
        var table = new ConsoleTable([("trial", Justify.Right), .. study.AllObjectives.Select(g => (g.Metric, Justify.Right)), ("run", Justify.Left)]);
        foreach (var point in front)
            table.Add([$"{point.Trial}", .. point.Values.Select(Format), Short(point.RunId)]);
        table.Write(Console.Out);
    }

    private static string Short(string? runId) => runId is null ? "-" : runId[..Math.Min(12, runId.Length)];

    // Accuracies and milliseconds to 4 significant digits, byte counts whole.
    private static string Format(double value) => value >= 10_000 && value == Math.Floor(value)
        ? value.ToString("0", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);
}
