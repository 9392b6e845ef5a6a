namespace Anvil.Training.Metrics;

/// <summary>
/// An immutable confusion matrix, counts[true, predicted], with the classification report derived from it.
/// Macro averages are unweighted means over all <see cref="ClassCount"/> classes, classes without
/// samples included (scikit-learn's <c>average="macro"</c> with <c>labels=range(C)</c>, <c>zero_division=0</c>).
/// </summary>
/// <example>
/// <code>
/// var result = new ConfusionMatrixResult(new long[,] { { 5, 1 }, { 2, 4 } });
/// // result.Accuracy == 0.75, result.Classes[0].Precision == 5.0 / 7
/// </code>
/// </example>
public sealed class ConfusionMatrixResult
{
    private readonly long[,] _counts;

    /// <summary>Builds the result from a square count matrix (copied).</summary>
    /// <param name="counts">counts[true, predicted], non-negative, at least 2 × 2.</param>
    public ConfusionMatrixResult(long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.GetLength(0) != counts.GetLength(1) || counts.GetLength(0) < 2)
            throw new ArgumentException(
                $"Counts must be a square C × C matrix with C ≥ 2, got {counts.GetLength(0)} × {counts.GetLength(1)}.", nameof(counts));
        foreach (var count in counts)
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
        _counts = (long[,])counts.Clone();
        Classes = Enumerable.Range(0, ClassCount).Select(ScoresOf).ToArray();
    }

    /// <summary>A copy of the counts, indexed [true class, predicted class].</summary>
    public long[,] Counts => (long[,])_counts.Clone();

    /// <summary>How many samples of true class <paramref name="trueClass"/> were predicted as <paramref name="predictedClass"/>.</summary>
    public long this[int trueClass, int predictedClass] => _counts[trueClass, predictedClass];

    /// <summary>Number of classes C.</summary>
    public int ClassCount => _counts.GetLength(0);

    /// <summary>Number of samples counted.</summary>
    public long Total => _counts.Cast<long>().Sum();

    /// <summary>Fraction of samples on the diagonal; NaN when the matrix is empty.</summary>
    public double Accuracy => Total == 0
        ? double.NaN
        : (double)Enumerable.Range(0, ClassCount).Sum(c => _counts[c, c]) / Total;

    /// <summary>Precision, recall, F1 and support of each class, indexed by class.</summary>
    public IReadOnlyList<ClassScores> Classes { get; }

    /// <summary>Unweighted mean of the per-class precisions.</summary>
    public double MacroPrecision => Classes.Average(c => c.Precision);

    /// <summary>Unweighted mean of the per-class recalls.</summary>
    public double MacroRecall => Classes.Average(c => c.Recall);

    /// <summary>Unweighted mean of the per-class F1 scores (not the F1 of the macro precision and recall).</summary>
    public double MacroF1 => Classes.Average(c => c.F1);

    private ClassScores ScoresOf(int c)
    {
        long truePositives = _counts[c, c], predicted = 0, actual = 0;
        for (var k = 0; k < ClassCount; k++)
        {
            predicted += _counts[k, c];
            actual += _counts[c, k];
        }
        var precision = Ratio(truePositives, predicted);
        var recall = Ratio(truePositives, actual);
        var f1 = Ratio(2 * truePositives, predicted + actual); // = 2PR / (P + R), and 0 when both are 0
        return new ClassScores(precision, recall, f1, actual);
    }

    private static double Ratio(long numerator, long denominator) =>
        denominator == 0 ? 0 : (double)numerator / denominator;
}
