using Anvil.Training.Data;

namespace Anvil.Training.Retraining;

/// <summary>
/// Splits feedback items into a part the challenger trains on and a held-out part it is judged on (never
/// trained on): stratified by label with a fixed seed, so the same feedback and seed give the same split.
/// </summary>
/// <example>
/// <code>var split = FeedbackSplit.Of(labels, heldOutFraction: 0.25, seed: 42);   // split.Train, split.HeldOut: item indices</code>
/// </example>
public sealed record FeedbackSplit(IReadOnlyList<int> Train, IReadOnlyList<int> HeldOut)
{
    /// <param name="labels">The feedback label of each item, in a stable order (oldest first).</param>
    /// <param name="heldOutFraction">Share held out, strictly between 0 and 1.</param>
    /// <param name="seed">Seed of the shuffle within each label.</param>
    public static FeedbackSplit Of(IReadOnlyList<long> labels, double heldOutFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        RequireFraction(heldOutFraction);
        if (labels.Count < 2)
            throw new ArgumentException($"{labels.Count} feedback item{(labels.Count == 1 ? "" : "s")}: retraining needs at least 2, some to train on and some held out to judge the challenger. Collect more feedback first.");
        var total = (int)Math.Round(labels.Count * heldOutFraction, MidpointRounding.AwayFromZero);
        if (total == 0 || total == labels.Count)
            throw new ArgumentException($"--held-out {heldOutFraction} of {labels.Count} feedback items holds out {total}, leaving {labels.Count - total} to train on; both parts need at least one. Collect more feedback or change --held-out.");
        var (train, heldOut) = DataSplit.SplitIndices(labels, heldOutFraction, seed);
        return new FeedbackSplit(train.Select(i => (int)i).ToArray(), heldOut.Select(i => (int)i).ToArray());
    }

    /// <summary>Throws unless <paramref name="heldOutFraction"/> lies strictly between 0 and 1: checked before any training starts.</summary>
    public static void RequireFraction(double heldOutFraction)
    {
        if (!(heldOutFraction > 0 && heldOutFraction < 1))
            throw new ArgumentException($"--held-out must lie strictly between 0 and 1 (e.g. 0.25 holds out a quarter of the feedback); got {heldOutFraction}.");
    }
}
