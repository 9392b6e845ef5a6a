using System.CommandLine;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Training.Metrics;
using Anvil.Training.Models;

namespace Anvil.Cli.Commands;

/// <summary>`anvil evaluate RUN`: reloads a finished run's model and evaluates it on its test set again, redrawing the plots.</summary>
internal static class EvaluateCommand
{
    public static Command Create(Func<IRunStore> openStore)
    {
        var runArgument = new Argument<string>("run") { Description = "Run id or unique prefix (see ./anvil runs list)." };
        var tta = new Option<bool?>("--tta") { Description = "Test-time augmentation (mirror and average); default: as the run's recipe says." };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of metrics on stdout." };
        var command = new Command("evaluate", "Evaluate a trained run on its test set: accuracy, per-class P/R/F1, confusion matrix, ROC/AUC, plots.");
        command.Arguments.Add(runArgument);
        command.Options.Add(tta);
        command.Options.Add(json);
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var run = openStore().GetRun(p.GetValue(runArgument)!);
            var artifacts = new Artifacts(run.ArtifactsDirectory);
            var recipe = artifacts.LoadRecipe();
            var spec = artifacts.LoadSpec();
            var limits = TrainingLimits.FromParameters(run.Parameters);
            using var data = PreparedData.Load(DataSource.FromParameters(run.Parameters), recipe, limits, spec.Preprocessing);
            using var model = ModelBuilder.Build(spec);
            model.load(artifacts.Require(artifacts.WeightsPath));
            var report = Evaluator.Evaluate(model, data.Test, p.GetValue(tta) ?? recipe.TestTimeAugmentation);
            var metrics = report.ToMetrics("test", data.Test.ClassNames);
            artifacts.SaveEvaluation(report, data.Test.ClassNames, metrics);
            PrintReport(report, data.Test.ClassNames);
            Console.WriteLine($"Plots: {artifacts.ConfusionMatrixPng}, {artifacts.RocCurvesPng}");
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new Dictionary<string, object>(metrics.Select(m => KeyValuePair.Create(m.Key, (object)m.Value))) { ["run_id"] = run.Id }));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void PrintReport(EvaluationReport report, IReadOnlyList<string> classNames)
    {
        Console.WriteLine($"{"class",-14} {"precision",9} {"recall",9} {"f1",9} {"auc",9} {"support",8}");
        for (var c = 0; c < classNames.Count; c++)
        {
            var s = report.ConfusionMatrix.Classes[c];
            Console.WriteLine($"{classNames[c],-14} {s.Precision,9:F4} {s.Recall,9:F4} {s.F1,9:F4} {report.Roc.Classes[c].Auc,9:F4} {s.Support,8}");
        }
        Console.WriteLine($"{"macro",-14} {report.ConfusionMatrix.MacroPrecision,9:F4} {report.ConfusionMatrix.MacroRecall,9:F4} {report.ConfusionMatrix.MacroF1,9:F4} {report.Roc.MacroAuc,9:F4} {report.Count,8}");
        Console.WriteLine($"Accuracy {report.Accuracy:P2}, loss {report.Loss:F4}");
    }
}
