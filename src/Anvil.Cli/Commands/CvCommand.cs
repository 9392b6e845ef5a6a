using System.CommandLine;
using System.Globalization;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Training.Runs;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;

namespace Anvil.Cli.Commands;

/// <summary>`anvil cv`: k-fold cross-validation of a recipe on the training data (stratified, by group for texts, rolling-origin for a series), recorded as a run.</summary>
internal static class CvCommand
{
    public static Command Create(Registries registries, Func<IRunStore> openStore)
    {
        var data = new DataOptions();
        var recipe = new RecipeOptions();
        var folds = new Option<int>("--folds") { Description = "Number of folds (at least 2).", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of results on stdout." };
        var org = new Option<string?>("--org") { Description = $"Organization the run belongs to (default: '{RunOrganization.DefaultName}')." };
        var command = new Command("cv", "K-fold cross-validation of a recipe on the training split.");
        data.AddTo(command);
        recipe.AddTo(command);
        command.Options.Add(folds);
        command.Options.Add(json);
        command.Options.Add(org);
        command.SetAction(p => CommandRunner.Run(p, cancellationToken =>
        {
            var k = p.GetValue(folds);
            var chosen = recipe.Read(p);
            var request = new RunRequest(data.Read(p, chosen), chosen, Name: null, new TrainingLimits(p.GetValue(data.Limit), Patience: null), recipe.ModelGiven(p));
            using var recorder = new RegistryRunRecorder(openStore(), organizationId: RunOrganization.Resolve(registries, p.GetValue(org)).Id);
            string runId;
            CrossValidationResult result;
            try
            {
                (runId, result) = CrossValidationRun.Run(recorder, request, k, fold =>
                {
                    Console.Error.WriteLine($"Fold {fold}/{k}");
                    return [new NanGuard(), new ProgressBar(Console.Error, !Console.IsErrorRedirected)];
                }, Console.Error, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Interrupted;
            }
            Console.WriteLine($"{k}-fold {string.Join("; ", result.Metrics.Select(m => Summary(result, m)))}. Run {runId}.");
            if (p.GetValue(json))
            {
                var line = new Dictionary<string, object> { ["run_id"] = runId, ["folds"] = k };
                foreach (var metric in result.Metrics)
                {
                    line[$"cv_mean_{metric}"] = result.Mean(metric);
                    line[$"cv_std_{metric}"] = result.StandardDeviation(metric);
                    line[$"fold_{metric}"] = result.Values(metric);
                }
                Console.WriteLine(JsonOutput.Serialize(line));
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    // "accuracy 91.20 % ± 1.05 % (folds: 90.1 %, …)"; errors such as test_mae in the data's own unit.
    private static string Summary(CrossValidationResult result, string metric)
    {
        var format = metric is "accuracy" ? "P2" : "G4";
        string Show(double value) => value.ToString(format, CultureInfo.InvariantCulture);
        return $"{metric} {Show(result.Mean(metric))} ± {Show(result.StandardDeviation(metric))} (folds: {string.Join(", ", result.Values(metric).Select(Show))})";
    }
}
