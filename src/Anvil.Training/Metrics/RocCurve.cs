namespace Anvil.Training.Metrics;

/// <summary>
/// One class's one-vs-rest ROC curve: the exact curve with one point per distinct score, as
/// scikit-learn's <c>roc_curve(drop_intermediate=False)</c>, starting at (0, 0) with threshold +∞.
/// </summary>
/// <example>
/// <code>var curve = RocCurve.FromScores([0.9, 0.4, 0.4, 0.1], [true, true, false, false]); // curve.Auc == 0.875</code>
/// </example>
/// <param name="Fpr">False-positive rate at each threshold, ascending from 0 to 1. Empty when the AUC is undefined.</param>
/// <param name="Tpr">True-positive rate at each threshold, ascending from 0 to 1. Empty when the AUC is undefined.</param>
/// <param name="Thresholds">Score thresholds, descending; a sample is positive when its score ≥ the threshold.</param>
/// <param name="Auc">Area under the curve by the trapezoid rule; NaN when the class has no positive or no negative sample.</param>
public sealed record RocCurve(double[] Fpr, double[] Tpr, double[] Thresholds, double Auc)
{
    /// <summary>Computes the curve of one binary problem.</summary>
    /// <param name="scores">(N) score of each sample for the positive class; higher means more positive.</param>
    /// <param name="positives">(N) whether each sample is positive.</param>
    public static RocCurve FromScores(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positives);
        if (scores.Count != positives.Count)
            throw new ArgumentException($"Got {scores.Count} scores but {positives.Count} labels; pass one label per score.", nameof(positives));
        if (scores.Any(double.IsNaN))
            throw new ArgumentException("Scores contain NaN; check the model output for overflow before computing ROC.", nameof(scores));

        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        List<double> truePositives = [0], falsePositives = [0], thresholds = [double.PositiveInfinity];
        long tp = 0, fp = 0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            if (positives[order[rank]]) tp++;
            else fp++;
            // Tied scores share one threshold: emit a point only after the last sample of each tie.
            var lastOfTie = rank == order.Length - 1 || scores[order[rank + 1]] != scores[order[rank]];
            if (!lastOfTie)
                continue;
            truePositives.Add(tp);
            falsePositives.Add(fp);
            thresholds.Add(scores[order[rank]]);
        }
        if (tp == 0 || fp == 0)
            return new RocCurve([], [], [.. thresholds], double.NaN);

        var fpr = falsePositives.Select(f => f / fp).ToArray();
        var tpr = truePositives.Select(t => t / tp).ToArray();
        return new RocCurve(fpr, tpr, [.. thresholds], Trapezoid(fpr, tpr));
    }

    private static double Trapezoid(double[] x, double[] y)
    {
        var area = 0.0;
        for (var i = 1; i < x.Length; i++)
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        return area;
    }
}
