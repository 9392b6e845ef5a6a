using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>Seeded shuffling of sample indices within each class, shared by <see cref="DataSplit"/> and <see cref="KFold"/>.</summary>
internal static class StratifiedShuffle
{
    /// <summary>The indices of each class, classes in ascending label order, each list shuffled by one seeded generator.</summary>
    public static List<long[]> GroupByClass(IReadOnlyList<long> labels, int seed)
    {
        var random = new Random(seed);
        var groups = new List<long[]>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var indices = group.Select(i => (long)i).ToArray();
            random.Shuffle(indices);
            groups.Add(indices);
        }
        return groups;
    }

    /// <summary>Copies (N) int64 labels to a managed array.</summary>
    public static long[] ToArray(Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1)
            throw new ArgumentException($"Labels must be a 1-D int64 tensor, got {labels.dtype} with shape [{string.Join(", ", labels.shape)}].", nameof(labels));
        using var scope = NewDisposeScope();
        return labels.cpu().data<long>().ToArray();
    }
}
