using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Training.Audit;

/// <summary>How the audit looks: folds for the out-of-fold probabilities, and the neighbour checks.</summary>
/// <param name="DuplicateDistance">
/// Two examples closer than this share of the median distance between an example and its nearest neighbour are near-duplicates.
/// </param>
/// <param name="Neighbours">Neighbours whose mean similarity scores how typical an example is.</param>
/// <param name="OutlierZ">Robust z-score (median and MAD of the atypicality scores) above which an example is likely out of distribution.</param>
public sealed record DataAuditOptions(int Folds = 5, double DuplicateDistance = 0.1, int Neighbours = 10, double OutlierZ = 6)
{
    public void Validate()
    {
        if (Folds < 2)
            throw new ArgumentException($"The audit predicts each example with a model that never saw it, so it needs --folds 2 or more, e.g. 5; got {Folds}.");
        if (DuplicateDistance is < 0 or >= 1)
            throw new ArgumentException($"The near-duplicate distance is a share of the typical nearest-neighbour distance, in [0, 1), e.g. 0.1; got {DuplicateDistance}.");
        if (Neighbours < 1)
            throw new ArgumentException($"The outlier check needs at least one neighbour, e.g. 10; got {Neighbours}.");
        if (OutlierZ <= 0)
            throw new ArgumentException($"The outlier z-score must be positive, e.g. 6; got {OutlierZ}.");
    }
}

/// <summary>Two examples whose features are nearly the same (distance as a share of the typical nearest-neighbour distance); when their labels differ, one of them is wrong.</summary>
public sealed record NearDuplicate(int First, int Second, double Distance, bool LabelsDiffer);

/// <summary>An example far from all others: its mean distance to its nearest neighbours over the median of that, and its robust z-score.</summary>
public sealed record Outlier(int Index, double Score, double Z);

/// <summary>What an audit found; indexes are positions in the audited training data.</summary>
/// <param name="Probabilities">(N × K) the out-of-fold class probabilities the labels were judged by, row-major.</param>
public sealed record DataAuditReport(
    LabelAudit Labels, IReadOnlyList<NearDuplicate> NearDuplicates, IReadOnlyList<Outlier> Outliers,
    IReadOnlyList<string> ClassNames, double OutOfFoldAccuracy, int Examples, float[] Probabilities);

/// <summary>
/// A data audit of a classifier's training data: label errors by <see cref="ConfidentLearning"/> on out-of-fold
/// probabilities (k folds as in cross-validation, each model trained by the recipe on the other folds), near-duplicate
/// pairs and likely out-of-distribution examples from each example's nearest neighbours.
/// </summary>
/// <example>
/// <code>var report = DataAudit.Run(train, spec, recipe, new DataAuditOptions(Folds: 5), inputScale: 1 / 255.0);</code>
/// </example>
public static class DataAudit
{
    /// <param name="data">Un-normalised training data; it is not modified.</param>
    public static DataAuditReport Run(TensorDataset data, ModelSpec spec, Recipe recipe, DataAuditOptions options, double inputScale,
        Func<int, IEnumerable<Callback>>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.Task != TaskKind.Classification)
            throw new ArgumentException("The audit looks for wrong labels, so it needs classification data; a regression or forecasting target has none.");
        var labels = data.Labels.data<long>().ToArray();
        var classes = data.ClassNames.Count;
        if (labels.Distinct().Count() < 2)
            throw new ArgumentException($"The audit needs examples of at least two classes; every example is labelled '{data.ClassNames[(int)labels.FirstOrDefault()]}'. Audit data with two or more classes.");

        var probabilities = OutOfFold(data, labels, spec, recipe, options.Folds, inputScale, callbacks, cancellationToken);
        var audit = ConfidentLearning.Find(probabilities, labels, classes);
        var correct = Enumerable.Range(0, labels.Length).Count(i => TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * classes, classes)) == labels[i]);
        var (duplicates, outliers) = NeighbourChecks(data.Features, labels, options, recipe.Seed);
        return new DataAuditReport(audit, duplicates, outliers, data.ClassNames, (double)correct / labels.Length, labels.Length, probabilities);
    }

    /// <summary>(N × K) class probabilities, each row from the fold model that did not train on the example.</summary>
    private static float[] OutOfFold(TensorDataset data, long[] labels, ModelSpec spec, Recipe recipe, int folds, double inputScale,
        Func<int, IEnumerable<Callback>>? callbacks, CancellationToken cancellationToken)
    {
        var classes = data.ClassNames.Count;
        var probabilities = new float[labels.Length * classes];
        CrossValidation.ForEachFold(data, spec, recipe, folds, inputScale, callbacks, (model, heldOut, heldOutIndices) =>
        {
            using var predicted = Evaluator.PredictProbabilities(model, heldOut.Features);
            var rows = predicted.to_type(ScalarType.Float32).data<float>().ToArray();
            for (var r = 0; r < heldOutIndices.Length; r++)
                Array.Copy(rows, r * classes, probabilities, heldOutIndices[r] * classes, classes);
        }, cancellationToken);
        return probabilities;
    }

    private static (List<NearDuplicate> Duplicates, List<Outlier> Outliers) NeighbourChecks(Tensor features, long[] labels, DataAuditOptions options, int seed)
    {
        using var standardised = Neighbours.Standardise(features);
        var (indexes, distances) = Neighbours.Nearest(standardised, options.Neighbours, seed);
        var n = labels.Length;
        var k = indexes.Length / n;
        var typical = Median([.. Enumerable.Range(0, n).Select(i => (double)distances[i * k])]); // median nearest-neighbour distance
        if (typical <= 0)
            typical = 1; // more than half the examples have an exact copy: distances are judged in the features' own unit

        var duplicates = new List<NearDuplicate>();
        var seen = new HashSet<(int, int)>();
        for (var i = 0; i < n; i++)
        {
            // the projection stretches distances by a few percent: look a little further, then decide on the full features
            for (var j = 0; j < k && distances[(i * k) + j] <= 1.5 * options.DuplicateDistance * typical; j++)
            {
                var other = (int)indexes[(i * k) + j];
                var pair = (Math.Min(i, other), Math.Max(i, other));
                if (!seen.Add(pair))
                    continue;
                var distance = Neighbours.Distance(standardised, pair.Item1, pair.Item2) / typical;
                if (distance <= options.DuplicateDistance)
                    duplicates.Add(new NearDuplicate(pair.Item1, pair.Item2, distance, labels[pair.Item1] != labels[pair.Item2]));
            }
        }

        var scores = Enumerable.Range(0, n).Select(i => distances.AsSpan(i * k, k).ToArray().Average(d => (double)d)).ToArray();
        var median = Median(scores);
        var spread = 1.4826 * Median([.. scores.Select(s => Math.Abs(s - median))]); // MAD, scaled to a normal's σ
        var outliers = Enumerable.Range(0, n)
            .Select(i => new Outlier(i, median > 0 ? scores[i] / median : 0, spread > 0 ? (scores[i] - median) / spread : 0))
            .Where(o => o.Z > options.OutlierZ)
            .OrderByDescending(o => o.Z)
            .ToList();
        return ([.. duplicates.OrderByDescending(d => d.LabelsDiffer).ThenBy(d => d.Distance)], outliers);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
