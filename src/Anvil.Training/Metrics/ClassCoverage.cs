using static TorchSharp.torch;

namespace Anvil.Training.Metrics;

/// <summary>
/// How many of the classes a generator makes: the share of classes that a classifier assigns to at least
/// <see cref="MinimumShare"/> of the generated samples. 1 means every class is made; a collapsed generator scores low.
/// </summary>
/// <example>
/// <code>double coverage = ClassCoverage.Compute(predictedLabels, classCount: 10); // 1.0 when all 10 get ≥ 5%</code>
/// </example>
public static class ClassCoverage
{
    /// <summary>A class counts as covered from this share of the samples on: 5%, half of a uniform share over 10 classes.</summary>
    public const double MinimumShare = 0.05;

    /// <param name="labels">(N) int64 predicted classes.</param>
    /// <param name="classCount">The number of classes, ≥ 1.</param>
    public static double Compute(Tensor labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (labels.numel() == 0)
            return 0;
        using var counts = labels.bincount(null, classCount);
        var total = (double)labels.numel();
        return counts.data<long>().ToArray().Count(c => c / total >= MinimumShare) / (double)classCount;
    }
}
