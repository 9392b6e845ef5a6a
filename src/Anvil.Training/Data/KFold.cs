using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>
/// Deterministic k-fold cross-validation: every sample is in the validation part of exactly one
/// fold. With labels the folds are stratified: each class is dealt round-robin over the folds,
/// so fold sizes and class shares differ by at most one sample.
/// </summary>
/// <example>
/// <code>
/// foreach (var (train, validation) in new KFold(k: 5, seed: 42).Folds(data.Labels))
/// {
///     using var trainSet = data.Subset(train);
///     // ...
/// }
/// </code>
/// </example>
public sealed class KFold
{
    /// <summary>Creates a splitter into <paramref name="k"/> folds (at least 2).</summary>
    public KFold(int k, int seed)
    {
        if (k < 2)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k-fold cross-validation needs k >= 2 folds, e.g. 5 or 10.");
        K = k;
        Seed = seed;
    }

    /// <summary>Number of folds.</summary>
    public int K { get; }

    /// <summary>Seed of the shuffle.</summary>
    public int Seed { get; }

    /// <summary>Folds over <paramref name="count"/> unlabelled samples, as (train, validation) (M) int64 index tensors the caller disposes.</summary>
    public IEnumerable<(Tensor Train, Tensor Validation)> Folds(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ToTensors(FoldIndices(new long[count]));
    }

    /// <summary>Stratified folds over (N) int64 labels, as (train, validation) index tensors the caller disposes.</summary>
    public IEnumerable<(Tensor Train, Tensor Validation)> Folds(Tensor labels) =>
        ToTensors(FoldIndices(StratifiedShuffle.ToArray(labels)));

    /// <summary>Stratified folds as sorted (train, validation) index arrays.</summary>
    public IReadOnlyList<(long[] Train, long[] Validation)> FoldIndices(IReadOnlyList<long> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count < K)
            throw new ArgumentException($"{K}-fold cross-validation needs at least {K} samples, got {labels.Count}; use a smaller k or more data.", nameof(labels));
        var fold = new int[labels.Count];
        var dealt = 0;
        foreach (var index in StratifiedShuffle.GroupByClass(labels, Seed).SelectMany(g => g))
            fold[index] = dealt++ % K;
        return [.. Enumerable.Range(0, K).Select(f => (
            Enumerable.Range(0, labels.Count).Where(i => fold[i] != f).Select(i => (long)i).ToArray(),
            Enumerable.Range(0, labels.Count).Where(i => fold[i] == f).Select(i => (long)i).ToArray()))];
    }

    private static IEnumerable<(Tensor Train, Tensor Validation)> ToTensors(IReadOnlyList<(long[] Train, long[] Validation)> folds)
    {
        foreach (var (train, validation) in folds)
            yield return (tensor(train, [train.LongLength]), tensor(validation, [validation.LongLength]));
    }
}
