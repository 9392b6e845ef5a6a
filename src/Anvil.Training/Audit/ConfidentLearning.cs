using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
namespace Anvil.Training.Audit;

/// <summary>
/// Confident learning (Northcutt, Jiang &amp; Chuang, "Confident Learning: Estimating Uncertainty in Dataset
/// Labels", JAIR 2021): from out-of-fold class probabilities and the given labels, estimate how many examples of
/// each given class truly belong to each other class, and flag that many, the most confidently wrong first.
/// </summary>
/// <remarks>
/// Per-class thresholds are the mean probability the model gives a class on the examples labelled with it. The
/// confident joint counts, for each given label, the examples whose probability of some class reaches that class's
/// threshold (the likeliest such class when several do); calibrated to the class sizes it estimates the joint
/// distribution of given and true labels (<see cref="LabelAudit.EstimatedCounts"/>).
/// Which examples are flagged (<see cref="LabelIssueFilter"/>), never one whose given label is the model's own prediction:
/// <list type="bullet">
/// <item>by default (<see cref="LabelIssueFilter.SelfConfidence"/>), as many as the confident joint's off-diagonal holds
/// (examples confidently of another class than their label), taken in order of the lowest probability of the given label:
/// cleanlab's <c>num_label_issues(estimation_method="off_diagonal")</c> with <c>rank_by="self_confidence"</c>. Classes a
/// model confuses by nature (a shirt and a T-shirt) give their examples a lower but not a vanishing probability of
/// their label; a wrong label gets what the model gives any class the example is not, so it ranks first;</item>
/// <item>for each off-diagonal cell (given i, true j) of the calibrated joint, that many examples labelled i with the
/// largest margin p(j) − p(i) ("prune by noise rate", <see cref="LabelIssueFilter.PruneByNoiseRate"/>), and of those only
/// the ones confidently of another class (<see cref="LabelIssueFilter.Both"/>).</item>
/// </list>
/// </remarks>
public static class ConfidentLearning
{
    /// <param name="probabilities">(N × K) out-of-fold class probabilities, row-major: each row from a model that never saw the example.</param>
    /// <param name="labels">The N given labels, 0 … K−1.</param>
    /// <param name="filter">Which examples are flagged; <see cref="LabelIssueFilter.SelfConfidence"/> by default.</param>
    public static LabelAudit Find(float[] probabilities, IReadOnlyList<long> labels, int classes, LabelIssueFilter filter = LabelIssueFilter.SelfConfidence)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var n = labels.Count;
        if (classes < 2)
            throw new ArgumentException($"A label audit needs at least two classes; the data has {classes}.");
        if (probabilities.Length != (long)n * classes)
            throw new ArgumentException($"Expected {n} × {classes} probabilities, got {probabilities.Length}.", nameof(probabilities));
        foreach (var label in labels)
        {
            if (label < 0 || label >= classes)
                throw new ArgumentException($"Label {label} is outside 0…{classes - 1}.", nameof(labels));
        }

        var sizes = new long[classes];
        var thresholds = new double[classes];
        for (var i = 0; i < n; i++)
        {
            sizes[labels[i]]++;
            thresholds[labels[i]] += probabilities[(i * classes) + labels[i]];
        }

        var present = Enumerable.Range(0, classes).Count(c => sizes[c] > 0);
        if (present < 2)
            throw new ArgumentException($"A label audit needs examples of at least two classes; the data has {(n == 0 ? "no examples" : $"only label {labels[0]}")}. Audit data with two or more classes.");
        for (var c = 0; c < classes; c++)
            thresholds[c] = sizes[c] > 0 ? thresholds[c] / sizes[c] : double.PositiveInfinity; // a class nobody has is never confidently predicted

        var (joint, confidentClass) = ConfidentJoint(probabilities, labels, classes, thresholds);
        var estimated = EstimatedCounts(joint, sizes, n);
        var flagged = filter == LabelIssueFilter.SelfConfidence
            ? LeastSelfConfident(probabilities, labels, classes, confidentClass)
            : Prune(probabilities, labels, classes, estimated);
        if (filter == LabelIssueFilter.Both)
            flagged.RemoveWhere(i => confidentClass[i] < 0 || confidentClass[i] == labels[i]); // not confidently another class
        var issues = flagged
            .Select(i => Issue(probabilities, labels, classes, i))
            .OrderBy(issue => issue.GivenLabelProbability)
            .ToList();
        return new LabelAudit(issues, estimated, thresholds, sizes);
    }

    /// <summary>The confident joint, and each example's confident class (−1 when no class reaches its threshold).</summary>
    private static (long[,] Joint, int[] ConfidentClass) ConfidentJoint(float[] p, IReadOnlyList<long> labels, int k, double[] thresholds)
    {
        var joint = new long[k, k];
        var confident = new int[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            var row = p.AsSpan(i * k, k);
            var best = -1;
            for (var c = 0; c < k; c++)
            {
                if (row[c] >= thresholds[c] && (best < 0 || row[c] > row[best]))
                    best = c;
            }

            confident[i] = best;
            if (best >= 0)
                joint[labels[i], best]++;
        }

        return (joint, confident);
    }

    /// <summary>The confident joint calibrated so each given class's row adds up to its size: examples per (given, true).</summary>
    private static long[,] EstimatedCounts(long[,] joint, long[] sizes, int n)
    {
        var k = sizes.Length;
        var calibrated = new double[k, k];
        double total = 0;
        for (var given = 0; given < k; given++)
        {
            var row = Enumerable.Range(0, k).Sum(c => (double)joint[given, c]);
            for (var c = 0; c < k; c++)
            {
                calibrated[given, c] = row > 0 ? joint[given, c] / row * sizes[given] : 0;
                total += calibrated[given, c];
            }
        }

        var counts = new long[k, k];
        for (var given = 0; given < k; given++)
        {
            for (var c = 0; c < k; c++)
                counts[given, c] = total > 0 ? (long)Math.Round(calibrated[given, c] / total * n) : 0;
        }

        return counts;
    }

    /// <summary>
    /// As many examples as are confidently of another class than their label (and not predicted as their label), those
    /// with the lowest probability of their given label among the examples the model disagrees with.
    /// </summary>
    private static SortedSet<int> LeastSelfConfident(float[] p, IReadOnlyList<long> labels, int k, int[] confidentClass)
    {
        var disagreed = Enumerable.Range(0, labels.Count)
            .Where(i => TensorPrimitives.IndexOfMax(p.AsSpan(i * k, k)) != labels[i])
            .ToList();
        var count = disagreed.Count(i => confidentClass[i] >= 0 && confidentClass[i] != labels[i]);
        return [.. disagreed.OrderBy(i => p[(i * k) + (int)labels[i]]).ThenBy(i => i).Take(count)];
    }

    private static SortedSet<int> Prune(float[] p, IReadOnlyList<long> labels, int k, long[,] estimated)
    {
        var flagged = new SortedSet<int>();
        var byGiven = Enumerable.Range(0, labels.Count).ToLookup(i => labels[i]);
        for (var given = 0; given < k; given++)
        {
            for (var truth = 0; truth < k; truth++)
            {
                var count = estimated[given, truth];
                if (truth == given || count <= 0)
                    continue;
                var (g, t) = (given, truth);
                foreach (var i in byGiven[given].OrderByDescending(i => p[(i * k) + t] - p[(i * k) + g]).Take((int)count))
                    flagged.Add(i);
            }
        }

        flagged.RemoveWhere(i => TensorPrimitives.IndexOfMax(p.AsSpan(i * k, k)) == labels[i]); // the model agrees with the given label
        return flagged;
    }

    private static LabelIssue Issue(float[] p, IReadOnlyList<long> labels, int k, int index)
    {
        var row = p.AsSpan(index * k, k);
        var suggested = TensorPrimitives.IndexOfMax(row);
        return new LabelIssue(index, (int)labels[index], suggested, row[(int)labels[index]], row[suggested]);
    }
}

/// <summary>Which of the examples confident learning counts are flagged.</summary>
public enum LabelIssueFilter
{
    /// <summary>As many as are confidently of another class, the lowest probability of the given label first (the best precision).</summary>
    SelfConfidence,

    /// <summary>Every candidate of "prune by noise rate" the model disagrees with (more found, more false alarms).</summary>
    PruneByNoiseRate,

    /// <summary>Those whose confident class (one at or above its threshold) is another class too (fewer false alarms).</summary>
    Both,
}
