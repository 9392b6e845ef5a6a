using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// Stratified k-fold cross-validation of a classifier on images or feature vectors: for each fold, fit
/// normalisation on the other k-1 folds only, train a fresh model, and evaluate it on the held-out fold (one view
/// per sample, as the model is served, whatever the recipe's test-time augmentation). Texts and series have folds
/// of their own (<c>TextCrossValidation</c>, <c>SeriesCrossValidation</c>), trained and scored by the same steps.
/// </summary>
/// <example>
/// <code>var result = CrossValidation.Run(train, spec, recipe, folds: 5, inputScale: 1 / 255.0);</code>
/// </example>
public static class CrossValidation
{
    /// <summary>What a classifier's fold reports: accuracy (the headline) and macro ROC AUC, one view per sample.</summary>
    public static IReadOnlyList<string> ClassificationMetrics { get; } = ["accuracy", "auc"];

    /// <param name="data">Un-normalised training data; it is not modified.</param>
    /// <param name="spec">The model to train on each fold (its preprocessing is replaced per fold).</param>
    /// <param name="inputScale">What raw inputs were multiplied by before normalisation (1/255 for 8-bit images), recorded in each fold's preprocessing.</param>
    /// <param name="callbacks">Creates the callbacks for one fold (1-based), e.g. a progress bar.</param>
    public static CrossValidationResult Run(TensorDataset data, ModelSpec spec, Recipe recipe, int folds, double inputScale,
        Func<int, IEnumerable<Callback>>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(recipe);
        var figures = new List<double[]>();
        ForEachFold(data, spec, recipe, folds, inputScale, callbacks, (model, heldOut, _) => figures.Add(Classification(model, heldOut)), cancellationToken);
        return new CrossValidationResult(ClassificationMetrics, figures);
    }

    /// <summary>
    /// For each stratified fold: fits normalisation on the other k-1 folds only, trains a fresh model on them and
    /// hands it to <paramref name="score"/> with the normalised held-out fold and that fold's row indices in <paramref name="data"/>.
    /// </summary>
    internal static void ForEachFold(TensorDataset data, ModelSpec spec, Recipe recipe, int folds, double inputScale,
        Func<int, IEnumerable<Callback>>? callbacks, Action<SpecModel, TensorDataset, long[]> score, CancellationToken cancellationToken)
    {
        var labels = data.Labels.data<long>().ToArray();
        var fold = 0;
        foreach (var (trainIndices, heldOutIndices) in new KFold(folds, recipe.Seed).FoldIndices(labels))
        {
            fold++;
            using var train = data.Subset(tensor(trainIndices));
            using var heldOut = data.Subset(tensor(heldOutIndices));
            var normalization = Normalization.Fit(train);
            normalization.ApplyInPlace(train);
            normalization.ApplyInPlace(heldOut);
            using var model = FitFold(spec with { Preprocessing = normalization.ToSpec(inputScale) }, recipe, train, fold, callbacks, cancellationToken);
            score(model, heldOut, heldOutIndices);
        }
    }

    /// <summary>Builds a fresh model seeded for fold <paramref name="fold"/> (1-based) and trains it on the fold's training part, without validation.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before or during the fold.</exception>
    /// <exception cref="InvalidOperationException">The fold's training diverged.</exception>
    internal static SpecModel FitFold(ModelSpec spec, Recipe recipe, TensorDataset train, int fold,
        Func<int, IEnumerable<Callback>>? callbacks, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        manual_seed(recipe.Seed + fold);
        var model = ModelBuilder.Build(spec);
        try
        {
            var result = new Trainer(model, recipe, callbacks?.Invoke(fold)).Fit(train, validation: null, cancellationToken: cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (result.Diverged)
                throw new InvalidOperationException($"Fold {fold} diverged: {result.StopReason}.");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A classifier's <see cref="ClassificationMetrics"/> on a held-out fold, one view per sample as the model is served.</summary>
    internal static double[] Classification(SpecModel model, TensorDataset heldOut)
    {
        var report = Evaluator.Evaluate(model, heldOut);
        return [report.Accuracy, report.Roc.MacroAuc];
    }
}
