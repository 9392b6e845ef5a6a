using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>
/// Deterministic train/validation split: the same data and seed always give the same split.
/// Stratified by class, so each class keeps (to within one sample) its share in both parts.
/// </summary>
/// <example>
/// <code>
/// var (train, validation) = DataSplit.Split(data, validationFraction: 0.2, seed: 42);
/// </code>
/// </example>
public static class DataSplit
{
    /// <summary>Splits a data set; both results own copies of their rows, in original order.</summary>
    public static (TensorDataset Train, TensorDataset Validation) Split(TensorDataset data, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (train, validation) = SplitIndices(StratifiedShuffle.ToArray(data.Labels), validationFraction, seed);
        using var trainIndices = tensor(train, [train.LongLength]);
        using var validationIndices = tensor(validation, [validation.LongLength]);
        var trainSet = data.Subset(trainIndices);
        return (trainSet, data.Subset(validationIndices));
    }

    /// <summary>
    /// The sorted row indices of each part. The validation part holds round(N × fraction) rows,
    /// shared among classes by largest remainder.
    /// </summary>
    public static (long[] Train, long[] Validation) SplitIndices(IReadOnlyList<long> labels, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                "The validation fraction must lie strictly between 0 and 1, e.g. 0.2 to hold out 20% of the samples.");
        var total = (int)Math.Round(labels.Count * validationFraction, MidpointRounding.AwayFromZero);
        if (total == 0 || total == labels.Count)
            throw new ArgumentException(
                $"A validation fraction of {validationFraction} of {labels.Count} samples leaves {total} for validation and {labels.Count - total} for training; " +
                "both need at least one sample. Use more data or a different fraction.", nameof(validationFraction));

        var groups = StratifiedShuffle.GroupByClass(labels, seed);
        var exact = groups.Select(g => g.Length * validationFraction).ToArray();
        var take = exact.Select(e => (int)Math.Floor(e)).ToArray();
        // Largest remainder: give the rows lost to flooring to the classes that lost most (ties: lower label).
        foreach (var c in Enumerable.Range(0, groups.Count).OrderByDescending(c => exact[c] - take[c]).Take(total - take.Sum()))
            take[c]++;

        var validation = groups.SelectMany((g, c) => g.Take(take[c])).Order().ToArray();
        var train = groups.SelectMany((g, c) => g.Skip(take[c])).Order().ToArray();
        return (train, validation);
    }
}
