using System.CommandLine;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Training.Metrics;
using Anvil.Training.Runs;
using Spectre.Console;

namespace Anvil.Cli.Commands;

/// <summary>
/// `anvil evaluate RUN`: reloads a finished run's model and evaluates it on its test set again. It
/// writes evaluation.json and evaluation_*.png; the run's recorded metrics stay what training measured.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(Func<IRunStore> openStore)
    {
        var runArgument = new Argument<string>("run") { Description = "Run id or unique prefix (see ./anvil runs list)." };
        var tta = new Option<bool?>("--tta") { Description = "Also report test-time augmentation (10 views: the image and its mirror, each shifted by one pixel four ways; about 10x slower). The main figures are always single-view, as served. Default: as the run's recipe says." };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of metrics on stdout." };
        var command = new Command("evaluate", "Evaluate a trained run on its test set again: accuracy, per-class P/R/F1, confusion matrix, ROC/AUC, plots (written to evaluation.json and evaluation_*.png).");
        command.Arguments.Add(runArgument);
        command.Options.Add(tta);
        command.Options.Add(json);
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var result = RunEvaluation.Evaluate(new RegistryRunRecorder(openStore()), p.GetValue(runArgument)!, p.GetValue(tta), Console.Error, !Console.IsErrorRedirected);
            if (result.Test is { } test)
            {
                PrintReport(test, result.ClassNames);
                Console.WriteLine($"Written to {result.Artifacts.EvaluationPath}; plots {result.Artifacts.ConfusionMatrixPng(evaluation: true)}, {result.Artifacts.RocCurvesPng(evaluation: true)}");
            }
            else
            {
                var m = result.Metrics;
                Console.WriteLine($"Test MAE {m["test_mae"]:F3}, RMSE {m["test_rmse"]:F3} (the series' unit); seasonal naive MAE {m["seasonal_naive_mae"]:F3}");
                Console.WriteLine($"Written to {result.Artifacts.EvaluationPath}; plot {result.Artifacts.ForecastPng(evaluation: true)}");
            }
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new Dictionary<string, object>(result.Metrics.Select(m => KeyValuePair.Create(m.Key, (object)m.Value))) { ["run_id"] = result.RunId }));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void PrintReport(TestMetrics test, IReadOnlyList<string> classNames)
    {
        var report = test.SingleView;
        var table = new ConsoleTable(("class", Justify.Left), ("precision", Justify.Right), ("recall", Justify.Right), ("f1", Justify.Right), ("auc", Justify.Right), ("support", Justify.Right));
        for (var c = 0; c < classNames.Count; c++)
        {
            var s = report.ConfusionMatrix.Classes[c];
            table.Add(classNames[c], $"{s.Precision:F4}", $"{s.Recall:F4}", $"{s.F1:F4}", $"{report.Roc.Classes[c].Auc:F4}", $"{s.Support}");
        }

        var all = report.ConfusionMatrix;
        table.Add("macro", $"{all.MacroPrecision:F4}", $"{all.MacroRecall:F4}", $"{all.MacroF1:F4}", $"{report.Roc.MacroAuc:F4}", $"{report.Count}").Write(Console.Out);
        Console.WriteLine($"Accuracy {report.Accuracy:P2}, loss {report.Loss:F4} (single view, as served)");
        if (test.Augmented is { } augmented)
            Console.WriteLine($"With test-time augmentation: accuracy {augmented.Accuracy:P2}, loss {augmented.Loss:F4}");
    }
}
