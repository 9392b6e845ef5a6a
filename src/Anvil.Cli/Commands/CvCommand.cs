using System.CommandLine;
using System.Globalization;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Training.Runs;
using Anvil.Training.Training.Callbacks;

namespace Anvil.Cli.Commands;

/// <summary>`anvil cv`: stratified k-fold cross-validation of a recipe on the training data, recorded as a run.</summary>
internal static class CvCommand
{
    public static Command Create(Func<IRunStore> openStore)
    {
        var data = new DataOptions();
        var recipe = new RecipeOptions();
        var folds = new Option<int>("--folds") { Description = "Number of folds (at least 2).", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of results on stdout." };
        var command = new Command("cv", "K-fold cross-validation of a recipe on the training split.");
        data.AddTo(command);
        recipe.AddTo(command);
        command.Options.Add(folds);
        command.Options.Add(json);
        command.SetAction(p => CommandRunner.Run(p, cancellationToken =>
        {
            var k = p.GetValue(folds);
            var chosen = recipe.Read(p);
            var request = new RunRequest(data.Read(p, chosen), chosen, Name: null, new TrainingLimits(p.GetValue(data.Limit), Patience: null), recipe.ModelGiven(p));
            string runId;
            Training.Training.CrossValidation.Result result;
            try
            {
                (runId, result) = CrossValidationRun.Run(new RegistryRunRecorder(openStore()), request, k, fold =>
                {
                    Console.Error.WriteLine($"Fold {fold}/{k}");
                    return [new NanGuard(), new ProgressBar(Console.Error, !Console.IsErrorRedirected)];
                }, Console.Error, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Interrupted;
            }
            Console.WriteLine($"{k}-fold accuracy {result.Mean:P2} ± {result.StandardDeviation:P2} (folds: {string.Join(", ", result.FoldAccuracies.Select(a => a.ToString("P2", CultureInfo.InvariantCulture)))}). Run {runId}.");
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new { run_id = runId, folds = k, cv_mean_accuracy = result.Mean, cv_std_accuracy = result.StandardDeviation, fold_accuracies = result.FoldAccuracies }));
            return ExitCodes.Success;
        }));
        return command;
    }
}
