using MathNet.Numerics.Distributions;

namespace Anvil.Training.Retraining;

/// <summary>
/// Screens feedback per API key before it joins a retraining set, so that one key cannot poison or dominate it:
/// <list type="number">
/// <item>A key is <b>excluded</b> when its labels contradict the champion's confident answers significantly more often
/// than the other keys' labels do: an item is contradicted when the champion gives its label a probability below
/// <see cref="ContradictionProbability"/>; the key's count is tested against the other keys' pooled rate with a
/// one-sided binomial test at <see cref="Alpha"/> divided by the number of keys compared. Keys are compared with each
/// other, never with a fixed rate, so a real shift that every key reports (the champion wrong for everyone) excludes
/// nobody. A key with fewer than <see cref="MinimumItems"/> items, or whose other keys together have fewer, is not compared.</item>
/// <item>Each remaining key is <b>capped</b>: it keeps at most <see cref="MaxKeyShare"/> of the retraining set (the
/// champion's training examples plus the feedback kept), its oldest items first.</item>
/// </list>
/// Feedback stored before keys were recorded counts as one sender, <see cref="UnknownKey"/>.
/// </summary>
/// <example>
/// <code>
/// var screening = new FeedbackScreen().Screen(keyIds, labels, championProbabilities, classes: 10, trainingExamples: 60_000);
/// var kept = feedback.Subset(screening.Kept);   // screening.Keys says who was excluded or capped, and why
/// </code>
/// </example>
public sealed record FeedbackScreen(double MaxKeyShare = 0.5, double ContradictionProbability = 0.05, double Alpha = 0.001, int MinimumItems = 10)
{
    /// <summary>The sender of feedback stored before keys were recorded.</summary>
    public const string UnknownKey = "(unrecorded)";

    /// <param name="keys">The key that sent each item, oldest item first; null for unrecorded.</param>
    /// <param name="labels">Each item's label.</param>
    /// <param name="probabilities">The champion's class probabilities for each item's input, row after row.</param>
    /// <param name="classes">Classes per row.</param>
    /// <param name="trainingExamples">Examples of the champion's training set, which the feedback joins.</param>
    public FeedbackScreening Screen(IReadOnlyList<string?> keys, IReadOnlyList<long> labels, ReadOnlySpan<float> probabilities, int classes, long trainingExamples)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(labels);
        Validate();
        if (keys.Count != labels.Count || probabilities.Length != labels.Count * classes)
            throw new ArgumentException($"{keys.Count} keys, {labels.Count} labels and {probabilities.Length} probabilities ({classes} classes) do not describe the same items.");
        var contradicted = new bool[labels.Count];
        for (var i = 0; i < labels.Count; i++)
            contradicted[i] = probabilities[(i * classes) + (int)labels[i]] < ContradictionProbability;

        var senders = keys.Select((k, i) => (Key: k ?? UnknownKey, Index: i)).GroupBy(s => s.Key, s => s.Index)
            .Select(g => (g.Key, Items: g.ToList(), Contradicted: g.Count(i => contradicted[i]))).ToList();
        var compared = senders.Count(s => s.Items.Count >= MinimumItems && labels.Count - s.Items.Count >= MinimumItems);
        var totalContradicted = senders.Sum(s => s.Contradicted);
        var excluded = new Dictionary<string, double>();
        foreach (var (key, items, x) in senders)
        {
            var (otherN, otherX) = (labels.Count - items.Count, totalContradicted - x);
            if (items.Count < MinimumItems || otherN < MinimumItems)
                continue;
            var rate = Math.Max((double)otherX / otherN, 1.0 / otherN); // never 0: a key is not excluded for one contradiction where others had none
            var p = x == 0 ? 1 : 1 - Binomial.CDF(rate, items.Count, x - 1); // P(X ≥ x) at the others' rate
            if (p < Alpha / Math.Max(1, compared))
                excluded[key] = p;
        }

        var keptBeforeCap = senders.Where(s => !excluded.ContainsKey(s.Key)).Sum(s => s.Items.Count);
        var cap = (int)Math.Floor(MaxKeyShare * (trainingExamples + keptBeforeCap));
        var kept = new List<int>();
        var reports = new List<KeyScreening>();
        foreach (var (key, items, x) in senders)
        {
            var isExcluded = excluded.TryGetValue(key, out var p);
            var keep = isExcluded ? 0 : Math.Min(items.Count, cap);
            kept.AddRange(items.Take(keep));
            reports.Add(new KeyScreening(key, items.Count, x, keep, isExcluded ? p : null,
                isExcluded ? KeyDecision.Excluded : keep < items.Count ? KeyDecision.Capped : KeyDecision.Kept));
        }

        kept.Sort(); // oldest first, as given
        return new FeedbackScreening(kept, reports, cap);
    }

    private void Validate()
    {
        if (!(MaxKeyShare > 0 && MaxKeyShare <= 1))
            throw new ArgumentException($"--max-key-share must be more than 0 and at most 1 (the share of the retraining set one key may give), e.g. 0.5; got {MaxKeyShare}.");
        if (!(ContradictionProbability > 0 && ContradictionProbability < 1) || !(Alpha > 0 && Alpha < 1) || MinimumItems < 1)
            throw new ArgumentException($"The feedback screen's contradiction probability ({ContradictionProbability}) and significance level ({Alpha}) must lie strictly between 0 and 1, and its minimum items ({MinimumItems}) be 1 or more.");
    }
}

/// <summary>What the screen kept: item indices (oldest first), one report per key, and the cap per key.</summary>
public sealed record FeedbackScreening(IReadOnlyList<int> Kept, IReadOnlyList<KeyScreening> Keys, int CapPerKey)
{
    /// <summary>Items dropped, by exclusion or by the cap.</summary>
    public int Dropped => Keys.Sum(k => k.Given - k.Used);
}

/// <summary>One key's feedback: items given, how many the champion confidently contradicted, items used, and the decision (with the binomial test's p when excluded).</summary>
public sealed record KeyScreening(string Key, int Given, int Contradicted, int Used, double? PValue, KeyDecision Decision);

/// <summary>What the screen did with one key's feedback.</summary>
public enum KeyDecision
{
    /// <summary>All of it is used.</summary>
    Kept,

    /// <summary>Its oldest items up to the cap are used.</summary>
    Capped,

    /// <summary>None is used: its labels contradict the champion significantly more often than the other keys' do.</summary>
    Excluded,
}
