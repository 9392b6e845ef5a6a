using System.CommandLine;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Training.Audit;
using Anvil.Training.Runs;
using Anvil.Training.Training.Callbacks;

namespace Anvil.Cli.Commands;

/// <summary>`anvil audit`: likely label errors, near-duplicates and outliers in the training data, recorded as a run.</summary>
internal static class AuditCommand
{
    public static Command Create(Registries registries, Func<IRunStore> openStore)
    {
        var data = new DataOptions();
        var recipe = new RecipeOptions();
        var folds = new Option<int>("--folds") { Description = "Folds for the out-of-fold predictions (at least 2).", DefaultValueFactory = _ => 5 };
        var top = new Option<int>("--top") { Description = "Label issues listed here (all are in the run's audit.json).", DefaultValueFactory = _ => 20 };
        var duplicate = new Option<double>("--duplicate-distance") { Description = "Two examples closer than this share of the median nearest-neighbour distance are near-duplicates.", DefaultValueFactory = _ => 0.1 };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of results on stdout." };
        var org = new Option<string?>("--org") { Description = $"Organization the run belongs to (default: '{RunOrganization.DefaultName}')." };
        var command = new Command("audit", "Find likely label errors (confident learning on out-of-fold predictions), near-duplicates and outliers in the training split.");
        data.AddTo(command);
        recipe.AddTo(command);
        command.Options.Add(folds);
        command.Options.Add(top);
        command.Options.Add(duplicate);
        command.Options.Add(json);
        command.Options.Add(org);
        command.SetAction(p => CommandRunner.Run(p, cancellationToken =>
        {
            var k = p.GetValue(folds);
            if (p.GetValue(top) < 0)
                throw new ArgumentException($"--top must be 0 or more; got {p.GetValue(top)}.");
            var chosen = recipe.Read(p);
            var request = new RunRequest(data.Read(p, chosen), chosen, Name: null, new TrainingLimits(p.GetValue(data.Limit), Patience: null), recipe.ModelGiven(p));
            var options = new DataAuditOptions(k, p.GetValue(duplicate));
            using var recorder = new RegistryRunRecorder(openStore(), organizationId: RunOrganization.Resolve(registries, p.GetValue(org)).Id);
            RecordedRun run;
            DataAuditReport report;
            try
            {
                (run, report) = AuditRun.Run(recorder, request, options, fold =>
                {
                    Console.Error.WriteLine($"Fold {fold}/{k}");
                    return [new NanGuard(), new ProgressBar(Console.Error, !Console.IsErrorRedirected)];
                }, Console.Error, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Interrupted;
            }

            Print(report, p.GetValue(top));
            var path = Path.Combine(run.ArtifactsDirectory, AuditRun.ReportFile);
            Console.WriteLine($"Full report: {path}. Run {run.Id}.");
            if (p.GetValue(json))
            {
                var line = new Dictionary<string, object> { ["run_id"] = run.Id, ["report"] = path, ["examples"] = report.Examples };
                foreach (var (name, value) in AuditRun.Metrics(report))
                    line[name["audit_".Length..]] = value;
                Console.WriteLine(JsonOutput.Serialize(line));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(DataAuditReport report, int top)
    {
        var names = report.ClassNames;
        var labels = report.Labels;
        Console.WriteLine($"{report.Examples:N0} examples; out-of-fold accuracy {report.OutOfFoldAccuracy:P2}; estimated label noise {labels.EstimatedNoiseRate:P2}.");
        Console.WriteLine($"Likely label errors: {labels.Issues.Count:N0} (least likely given label first):");
        Console.WriteLine($"  {"index",8}  {"given",-16} {"p(given)",9}  {"likely",-16} {"p(likely)",9}");
        foreach (var issue in labels.Issues.Take(top))
            Console.WriteLine($"  {issue.Index,8}  {names[issue.GivenLabel],-16} {issue.GivenLabelProbability,9:P1}  {names[issue.SuggestedLabel],-16} {issue.SuggestedLabelProbability,9:P1}");
        Console.WriteLine("Classes mistaken for one another (estimated examples):");
        foreach (var (given, likely, count) in labels.Confusions().Take(10))
            Console.WriteLine($"  {count,8:N0}  labelled {names[given]}, likely {names[likely]}");
        Console.WriteLine($"Near-duplicate pairs: {report.NearDuplicates.Count:N0}, {report.NearDuplicates.Count(d => d.LabelsDiffer):N0} of them with different labels" +
            string.Concat(report.NearDuplicates.Where(d => d.LabelsDiffer).Take(5).Select(d => $"; {d.First} ~ {d.Second}")) + ".");
        Console.WriteLine($"Likely out of distribution (far from every other example): {report.Outliers.Count:N0}" +
            string.Concat(report.Outliers.Take(5).Select(o => $"; {o.Index} (z {o.Z:F1})")) + ".");
    }
}
