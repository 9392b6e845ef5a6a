using System.Globalization;
using Anvil.Training.Data;
using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>
/// k-fold cross-validation of a recipe on a data source's training split (the test split is never seen), recorded as
/// one run with the same dataset hash a <c>train</c> of the same data records: stratified folds for images and feature
/// vectors, folds by group with a vocabulary per fold for texts, rolling-origin folds in time order for a series.
/// </summary>
/// <example>
/// <code>var (runId, result) = CrossValidationRun.Run(recorder, request, folds: 5, fold => [new ProgressBar(Console.Error, true)], Console.Error);</code>
/// </example>
public static class CrossValidationRun
{
    /// <param name="callbacks">Creates the callbacks of one fold (1-based), e.g. a progress bar.</param>
    /// <exception cref="OperationCanceledException">Cancelled; the run is recorded as interrupted.</exception>
    public static (string RunId, CrossValidationResult Result) Run(IRunRecorder recorder, RunRequest request, int folds,
        Func<int, IEnumerable<Callback>> callbacks, TextWriter progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(request);
        if (folds < 2)
            throw new ArgumentException($"k-fold cross-validation needs --folds 2 or more, e.g. 5 or 10; got {folds}.");
        var (source, recipe) = (request.Source, request.Recipe);
        recipe.Validate();
        RefuseWhatFoldsCannotTrain(recipe, "Cross-validation");
        var datasetHash = source.Hash();
        using var data = source.Load(recipe, csvPolicy: null, progress);
        using var train = request.Limits.Samples is { } n ? PreparedData.Head(data.Train, n) : data.Train;
        recipe = RunPipeline.FollowData(recipe, train, request.ModelGiven, progress);
        ModelChoice.Resolve(recipe.Model, train, data.Tokenizer?.Vocabulary.Count); // a model that does not fit the data stops cv before a run is recorded
        var parameters = new Dictionary<string, string>(source.ToParameters())
        {
            ["model"] = recipe.Model,
            ["recipe"] = recipe.ToJson(),
            ["folds"] = folds.ToString(CultureInfo.InvariantCulture),
        };
        request.Limits.AddTo(parameters);
        var run = recorder.CreateRun(request.Name ?? RunNames.Default(recipe.Model, source.Data, prefix: "cv"), parameters, datasetHash);
        return recorder.Finishing(run.Id, () =>
        {
            var result = Folds(data, train, recipe, folds, callbacks, cancellationToken);
            recorder.LogMetrics(run.Id, result.ToMetrics());
            return (run.Id, result);
        });
    }

    /// <summary>Refuses recipes that k folds cannot train: distillation, differential privacy, adversarial training and fine-tuning.</summary>
    /// <param name="who">The command's subject, e.g. "Cross-validation".</param>
    internal static void RefuseWhatFoldsCannotTrain(Recipe recipe, string who)
    {
        if (recipe.Distill is not null)
            throw new ArgumentException($"{who} does not distill: remove the recipe's \"distill\" field, or train the student with ./anvil train.");
        if (recipe.Privacy is not null)
            throw new ArgumentException($"{who} does not train privately yet (each fold would spend its own budget on overlapping data): remove --dp-epsilon or the recipe's \"privacy\" field, or train with ./anvil train.");
        if (recipe.Adversarial is not null)
            throw new ArgumentException($"{who} does not train adversarially yet: remove --adv-epsilon or the recipe's \"adversarial\" section, or train with ./anvil train.");
        if (recipe.Transfer is not null)
            throw new ArgumentException($"{who} does not fine-tune pretrained weights: remove the recipe's \"transfer\" section, or fine-tune with ./anvil train.");
    }

    // Each kind of data has its own folds: near-copies of a text stay together and each fold fits its own vocabulary;
    // a series is cut by time (rolling origin); images and feature vectors are stratified at random.
    private static CrossValidationResult Folds(SourceData data, TensorDataset train, Recipe recipe, int folds,
        Func<int, IEnumerable<Callback>> callbacks, CancellationToken cancellationToken)
    {
        if (data.Series is { } layout)
            return SeriesCrossValidation.Run(train, ModelChoice.Resolve(recipe.Model, train), recipe, layout.Options, folds, callbacks, cancellationToken);
        if (data.Tokenizer is { } tokenizer) // the first documents are the rows --limit kept
            return TextCrossValidation.Run([.. (data.TrainDocuments ?? []).Take(train.Count)], train.ClassNames, tokenizer.Options, recipe, folds, callbacks, cancellationToken);
        return CrossValidation.Run(train, ModelChoice.Resolve(recipe.Model, train), recipe, folds, data.Scale, callbacks, cancellationToken);
    }
}
