using System.CommandLine;
using System.Globalization;
using Anvil.Registry.Runs;

namespace Anvil.Cli.Commands;

/// <summary>`anvil runs list` and `anvil runs show RUN`: what the registry recorded.</summary>
internal static class RunsCommand
{
    public static Command Create(Func<IRunStore> openStore)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table.", Recursive = true };
        var limit = new Option<int>("--limit") { Description = "How many runs to list, newest first.", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List runs, newest first.") { limit };
        list.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var runs = openStore().ListRuns(p.GetValue(limit));
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(runs.Select(Summary)));
                return ExitCodes.Success;
            }
            Console.WriteLine($"{"id",-12} {"name",-28} {"status",-12} {"started (UTC)",-17} {"test_accuracy",13}");
            foreach (var run in runs)
            {
                var accuracy = run.Metrics.TryGetValue("test_accuracy", out var a) ? a.ToString("P2", CultureInfo.InvariantCulture)
                    : run.Metrics.TryGetValue("cv_mean_accuracy", out var cv) ? $"cv {cv.ToString("P2", CultureInfo.InvariantCulture)}" : "-";
                Console.WriteLine($"{run.Id[..12],-12} {Truncate(run.Name, 28),-28} {RunStatusNames.ToText(run.Status),-12} {run.StartedAt.UtcDateTime,-17:yyyy-MM-dd HH:mm} {accuracy,13}");
            }
            return ExitCodes.Success;
        }));

        var runArgument = new Argument<string>("run") { Description = "Run id or unique prefix." };
        var show = new Command("show", "Show one run: parameters, per-epoch metrics, results and artifacts.") { runArgument };
        show.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var run = openStore().GetRun(p.GetValue(runArgument)!);
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(run));
                return ExitCodes.Success;
            }
            Console.WriteLine($"Run {run.Id} ({run.Name}): {RunStatusNames.ToText(run.Status)}, started {run.StartedAt:u}, dataset {run.DatasetHash[..12]}");
            Console.WriteLine($"Artifacts: {run.ArtifactsDirectory}");
            foreach (var (key, value) in run.Parameters.Where(kv => kv.Key != "recipe"))
                Console.WriteLine($"  {key} = {value}");
            foreach (var epoch in run.Epochs)
                Console.WriteLine($"  epoch {epoch.Epoch,3}: " + string.Join("  ", epoch.Metrics.Select(m => $"{m.Key} {m.Value:G4}")));
            foreach (var (key, value) in run.Metrics.Where(m => !m.Key.Contains('/', StringComparison.Ordinal)).OrderBy(m => m.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {key} = {value:G6}");
            return ExitCodes.Success;
        }));

        var runs = new Command("runs", "Inspect recorded runs.") { list, show };
        runs.Options.Add(json);
        return runs;
    }

    private static object Summary(Run run) => new
    {
        id = run.Id,
        name = run.Name,
        status = RunStatusNames.ToText(run.Status),
        started_at = run.StartedAt,
        test_accuracy = run.Metrics.TryGetValue("test_accuracy", out var a) ? a : (double?)null,
    };

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..(length - 1)] + "…";
}
