using Anvil.Training.Tuning;

namespace Anvil.Cli.Commands;

/// <summary>Prints a study for people: its trials as a table and where it stands.</summary>
internal static class TuneReport
{
    public static void PrintTable(StudyDefinition study, IReadOnlyList<TrialRecord> trials)
    {
        var space = study.SearchSpace();
        var pruner = study.Pruner?.Type ?? "no pruner";
        Console.WriteLine($"Study {study.Name}: {study.Direction} {study.Metric}, {study.Sampler} sampler, {pruner}; {trials.Count} trial{(trials.Count == 1 ? "" : "s")}.");
        Console.WriteLine($"{"trial",5}  {"state",-8}  {"value",8}  {"epochs",6}  {"run",-12}  parameters");
        foreach (var t in trials)
        {
            var value = t.Value is { } v ? v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "-";
            var run = t.RunId is null ? "-" : t.RunId[..Math.Min(12, t.RunId.Length)];
            Console.WriteLine($"{t.Number,5}  {t.State.ToString().ToLowerInvariant(),-8}  {value,8}  {t.Intermediate.Count,6}  {run,-12}  {space.Describe(t.Parameters)}");
        }
    }

    public static void PrintSummary(StudySummary s)
    {
        var counts = $"{s.TrialsComplete} complete, {s.TrialsPruned} pruned, {s.TrialsFailed} failed, {s.TrialsRunning} running; {s.TrainSecondsTotal:F1}s of training";
        Console.WriteLine(s.BestTrial is { } best
            ? $"Best: trial {best}, {s.Metric} {s.BestValue:0.0000} (run {s.BestRunId}). {counts}."
            : $"No trial has completed yet. {counts}.");
    }
}
