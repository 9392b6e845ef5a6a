using System.CommandLine;
using System.Globalization;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Training.Data;
using Anvil.Training.Training;
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
            var source = data.Read(p);
            var r = recipe.Read(p);
            var k = p.GetValue(folds);
            var (train, test, scale) = source.Load(r.Seed);
            test.Dispose();
            using var all = p.GetValue(data.Limit) is { } n ? PreparedData.Head(train, n) : train;
            var spec = TrainingPipeline.ResolveSpec(r.Model, all);
            var store = openStore();
            var parameters = new Dictionary<string, string>(source.ToParameters()) { ["model"] = r.Model, ["recipe"] = r.ToJson(), ["folds"] = k.ToString(CultureInfo.InvariantCulture) };
            var run = store.CreateRun($"cv-{r.Model}-{source.Data}", parameters, DatasetHash.Compute(all));
            CrossValidation.Result result;
            try
            {
                result = CrossValidation.Run(all, spec, r, k, scale, fold =>
                {
                    Console.Error.WriteLine($"Fold {fold}/{k}");
                    return [new NanGuard(), new ProgressBar(Console.Error, !Console.IsErrorRedirected)];
                }, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                store.Finish(run.Id, RunStatus.Interrupted);
                return ExitCodes.Interrupted;
            }
            catch
            {
                store.Finish(run.Id, RunStatus.Failed);
                throw;
            }
            var metrics = result.FoldAccuracies.Select((a, i) => ($"fold{i + 1}_accuracy", a))
                .Append(("cv_mean_accuracy", result.Mean)).Append(("cv_std_accuracy", result.StandardDeviation))
                .ToDictionary(m => m.Item1, m => m.Item2);
            store.LogMetrics(run.Id, metrics);
            store.Finish(run.Id, RunStatus.Finished);
            Console.WriteLine($"{k}-fold accuracy {result.Mean:P2} ± {result.StandardDeviation:P2} (folds: {string.Join(", ", result.FoldAccuracies.Select(a => a.ToString("P2", CultureInfo.InvariantCulture)))}). Run {run.Id}.");
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new { run_id = run.Id, folds = k, cv_mean_accuracy = result.Mean, cv_std_accuracy = result.StandardDeviation, fold_accuracies = result.FoldAccuracies }));
            return ExitCodes.Success;
        }));
        return command;
    }
}
