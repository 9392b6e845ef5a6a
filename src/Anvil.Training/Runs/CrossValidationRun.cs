using System.Globalization;
using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>
/// k-fold cross-validation of a recipe on a data source's training split, recorded as one run with
/// the same dataset hash a <c>train</c> of the same data records.
/// </summary>
/// <example>
/// <code>var (runId, result) = CrossValidationRun.Run(recorder, request, folds: 5, fold => [new ProgressBar(Console.Error, true)], Console.Error);</code>
/// </example>
public static class CrossValidationRun
{
    /// <param name="callbacks">Creates the callbacks of one fold (1-based), e.g. a progress bar.</param>
    /// <exception cref="OperationCanceledException">Cancelled; the run is recorded as interrupted.</exception>
    public static (string RunId, CrossValidation.Result Result) Run(IRunRecorder recorder, RunRequest request, int folds,
        Func<int, IEnumerable<Callback>> callbacks, TextWriter progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(request);
        if (folds < 2)
            throw new ArgumentException($"k-fold cross-validation needs --folds 2 or more, e.g. 5 or 10; got {folds}.");
        var (source, recipe) = (request.Source, request.Recipe);
        recipe.Validate();
        if (recipe.Series is not null)
            throw new ArgumentException("cv folds are drawn at random, which would train a series on its own future; a series is evaluated by ./anvil train on a chronological split.");
        var datasetHash = source.Hash();
        using var data = source.Load(recipe, csvPolicy: null, progress);
        if (data.Tokenizer is not null)
            throw new ArgumentException("cv does not run on a text corpus yet: each fold would need its own vocabulary. Use ./anvil train, which holds out a test split by group.");
        using var train = request.Limits.Samples is { } n ? PreparedData.Head(data.Train, n) : data.Train;
        recipe = RunPipeline.FollowData(recipe, train, request.ModelGiven, progress);
        var spec = ModelChoice.Resolve(recipe.Model, train);
        var parameters = new Dictionary<string, string>(source.ToParameters())
        {
            ["model"] = recipe.Model,
            ["recipe"] = recipe.ToJson(),
            ["folds"] = folds.ToString(CultureInfo.InvariantCulture),
        };
        request.Limits.AddTo(parameters);
        var run = recorder.CreateRun(request.Name ?? $"cv-{recipe.Model}-{source.Data}", parameters, datasetHash);
        try
        {
            var result = CrossValidation.Run(train, spec, recipe, folds, data.Scale, callbacks, cancellationToken);
            var metrics = result.FoldAccuracies.Select((a, i) => ($"fold{i + 1}_accuracy", a))
                .Append(("cv_mean_accuracy", result.Mean)).Append(("cv_std_accuracy", result.StandardDeviation))
                .ToDictionary(m => m.Item1, m => m.Item2);
            recorder.LogMetrics(run.Id, metrics);
            recorder.Finish(run.Id, RunOutcome.Finished);
            return (run.Id, result);
        }
        catch (OperationCanceledException)
        {
            recorder.Finish(run.Id, RunOutcome.Interrupted);
            throw;
        }
        catch
        {
            recorder.Finish(run.Id, RunOutcome.Failed);
            throw;
        }
    }
}
