using System.CommandLine;
using System.Globalization;
using Anvil.Registry.Runs;
using Spectre.Console;

namespace Anvil.Cli.Commands;

/// <summary>
/// `anvil runs list|show|compare|tag|delete`: what the registry recorded. A run is named by its id, a
/// unique id prefix or its name.
/// </summary>
internal static class RunsCommand
{
    public static Command Create(Func<IRunStore> openStore, Registries registries)
    {
        var time = registries.Time;
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table.", Recursive = true };
        var runs = new Command("runs", "Inspect, compare, tag and delete recorded runs.")
        {
            List(openStore, registries, json), Show(openStore, time, json), Compare(openStore, json), Tag(openStore, time, json), Delete(openStore, json),
        };
        runs.Options.Add(json);
        return runs;
    }

    private static Argument<string> RunArgument() => new("run") { Description = "Run id, unique id prefix or name." };

    private static Command List(Func<IRunStore> openStore, Registries registries, Option<bool> json)
    {
        var org = new Option<string?>("--org") { Description = "Only this organization's runs." };
        var limit = new Option<int>("--limit") { Description = "How many runs to list, newest first.", DefaultValueFactory = _ => 20 };
        var tag = new Option<string?>("--tag") { Description = "Only runs with this tag, as KEY=VALUE." };
        var list = new Command("list", "List runs, newest first.") { limit, tag, org };
        list.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var now = registries.Time.GetUtcNow();
            var organization = p.GetValue(org) is { } name ? registries.Organizations.Get(name).Id : null;
            var runs = openStore().ListRuns(p.GetValue(limit), TagArguments.ParseOne(p.GetValue(tag)), organization);
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(runs.Select(run => RunView.Summary(run, now))));
                return ExitCodes.Success;
            }

            var table = new ConsoleTable(("id", Justify.Left), ("name", Justify.Left), ("status", Justify.Left), ("started (UTC)", Justify.Left), ("test_accuracy", Justify.Right), ("tags", Justify.Left));
            foreach (var run in runs)
            {
                var accuracy = run.Metrics.TryGetValue("test_accuracy", out var a) ? a.ToString("P2", CultureInfo.InvariantCulture)
                    : run.Metrics.TryGetValue("cv_mean_accuracy", out var cv) ? $"cv {cv.ToString("P2", CultureInfo.InvariantCulture)}" : "-";
                table.Add(run.Id[..12], Truncate(run.Name, 28), RunStatusNames.Shown(run, now), run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    accuracy, string.Join(" ", run.Tags.Select(t => $"{t.Key}={t.Value}")));
            }

            table.Write(Console.Out);
            return ExitCodes.Success;
        }));
        return list;
    }

    private static Command Show(Func<IRunStore> openStore, TimeProvider time, Option<bool> json)
    {
        var run = RunArgument();
        var show = new Command("show", "Show one run: hyper-parameters, tags, per-epoch metrics, results and artifacts.") { run };
        show.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var now = time.GetUtcNow();
            var found = openStore().GetRun(p.GetValue(run)!);
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(RunView.Json(found, now)));
                return ExitCodes.Success;
            }

            Console.WriteLine($"Run {found.Id} ({found.Name}): {RunStatusNames.Shown(found, now)}, started {found.StartedAt:u}, dataset {found.DatasetHash[..12]}");
            if (RunStatusNames.Shown(found, now) == "crashed")
                Console.WriteLine($"  No heartbeat since {found.HeartbeatAt:u}: its process died. Resume it with ./anvil train --resume {found.Id[..12]}");
            Console.WriteLine($"Artifacts: {found.ArtifactsDirectory}");
            if (found.Tags.Count > 0)
                Console.WriteLine("Tags: " + string.Join(" ", found.Tags.Select(t => $"{t.Key}={t.Value}")));
            Console.WriteLine("Parameters:");
            foreach (var (key, value) in RunView.HyperParameters(found))
                Console.WriteLine($"  {key} = {value}");
            Console.WriteLine("Epochs:");
            foreach (var epoch in found.Epochs)
                Console.WriteLine($"  epoch {epoch.Epoch,3}: " + string.Join("  ", epoch.Metrics.Select(m => $"{m.Key} {m.Value:G4}")));
            Console.WriteLine("Results:");
            foreach (var (key, value) in found.Metrics.Where(m => !m.Key.Contains('/', StringComparison.Ordinal)).OrderBy(m => m.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {key} = {RunView.Number(value)}");
            return ExitCodes.Success;
        }));
        return show;
    }

    private static Command Compare(Func<IRunStore> openStore, Option<bool> json)
    {
        var runs = new Argument<string[]>("runs") { Description = "Two or more runs (ids, prefixes or names).", Arity = ArgumentArity.OneOrMore };
        var all = new Option<bool>("--all") { Description = "Show every parameter, not only those that differ." };
        var compare = new Command("compare", "Compare runs side by side: the parameters that differ and every result.") { runs, all };
        compare.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var store = openStore();
            var comparison = new RunComparison([.. p.GetValue(runs)!.Select(store.GetRun)], p.GetValue(all));
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(comparison.Json()));
            else
                comparison.Print(Console.Out, p.GetValue(all));
            return ExitCodes.Success;
        }));
        return compare;
    }

    private static Command Tag(Func<IRunStore> openStore, TimeProvider time, Option<bool> json)
    {
        var run = RunArgument();
        var tags = new Argument<string[]>("tags") { Description = "Tags to add or change, as KEY=VALUE.", Arity = ArgumentArity.ZeroOrMore };
        var remove = new Option<string[]>("--remove") { Description = "A tag name to remove (repeatable)." };
        var tag = new Command("tag", "Add, change or remove a run's tags, e.g. ./anvil runs tag 01a2b3 team=vision --remove draft.") { run, tags, remove };
        tag.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var set = TagArguments.Parse(p.GetValue(tags));
            var removed = p.GetValue(remove) ?? [];
            if (set.Count == 0 && removed.Length == 0)
                throw new ArgumentException("runs tag needs KEY=VALUE tags to set or --remove KEY, e.g. ./anvil runs tag RUN team=vision.");
            var changed = openStore().SetTags(p.GetValue(run)!, set, removed);
            Console.WriteLine(p.GetValue(json)
                ? JsonOutput.Serialize(RunView.Summary(changed, time.GetUtcNow()))
                : $"Run {changed.Id[..12]} ({changed.Name}) tags: {(changed.Tags.Count == 0 ? "none" : string.Join(" ", changed.Tags.Select(t => $"{t.Key}={t.Value}")))}");
            return ExitCodes.Success;
        }));
        return tag;
    }

    private static Command Delete(Func<IRunStore> openStore, Option<bool> json)
    {
        var run = RunArgument();
        var delete = new Command("delete", "Delete a run that is not running: its record and its artifacts (registered model versions keep their own copy).") { run };
        delete.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var deleted = openStore().DeleteRun(p.GetValue(run)!);
            Console.WriteLine(p.GetValue(json)
                ? JsonOutput.Serialize(new { deleted = deleted.Id, name = deleted.Name })
                : $"Deleted run {deleted.Id} ({deleted.Name}) and its artifacts.");
            return ExitCodes.Success;
        }));
        return delete;
    }

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..(length - 1)] + "…";
}
