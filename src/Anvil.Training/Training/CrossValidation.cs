using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// Stratified k-fold cross-validation of a recipe: for each fold, fit normalisation on the other
/// k-1 folds only, train a fresh model, and evaluate it on the held-out fold (one view per sample,
/// as the model is served, whatever the recipe's test-time augmentation).
/// </summary>
/// <example>
/// <code>var result = CrossValidation.Run(train, spec, recipe, folds: 5);</code>
/// </example>
public static class CrossValidation
{
    /// <summary>Accuracy of each fold, with mean and sample standard deviation.</summary>
    public sealed record Result(IReadOnlyList<double> FoldAccuracies)
    {
        public double Mean => FoldAccuracies.Average();
        public double StandardDeviation => FoldAccuracies.Count < 2 ? 0
            : Math.Sqrt(FoldAccuracies.Sum(a => (a - Mean) * (a - Mean)) / (FoldAccuracies.Count - 1));
    }

    /// <param name="data">Un-normalised training data; it is not modified.</param>
    /// <param name="spec">The model to train on each fold (its preprocessing is replaced per fold).</param>
    /// <param name="inputScale">What raw inputs were multiplied by before normalisation (1/255 for 8-bit images), recorded in each fold's preprocessing.</param>
    /// <param name="callbacks">Creates the callbacks for one fold (1-based), e.g. a progress bar.</param>
    public static Result Run(TensorDataset data, ModelSpec spec, Recipe recipe, int folds, double inputScale,
        Func<int, IEnumerable<Callback>>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(recipe);
        var labels = data.Labels.data<long>().ToArray();
        var accuracies = new List<double>();
        var fold = 0;
        foreach (var (trainIndices, validationIndices) in new KFold(folds, recipe.Seed).FoldIndices(labels))
        {
            cancellationToken.ThrowIfCancellationRequested();
            fold++;
            using var train = data.Subset(tensor(trainIndices));
            using var validation = data.Subset(tensor(validationIndices));
            var normalization = Normalization.Fit(train);
            normalization.ApplyInPlace(train);
            normalization.ApplyInPlace(validation);
            manual_seed(recipe.Seed + fold);
            using var model = ModelBuilder.Build(spec with { Preprocessing = normalization.ToSpec(inputScale) });
            var result = new Trainer(model, recipe, callbacks?.Invoke(fold)).Fit(train, validation: null, cancellationToken: cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (result.Diverged)
                throw new InvalidOperationException($"Fold {fold} diverged: {result.StopReason}.");
            accuracies.Add(Evaluator.Evaluate(model, validation).Accuracy); // one view, as the model is served
        }
        return new Result(accuracies);
    }
}
