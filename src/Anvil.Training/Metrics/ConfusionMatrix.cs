using static TorchSharp.torch;

namespace Anvil.Training.Metrics;

/// <summary>
/// Counts how often each true class was predicted as each class (argmax over C).
/// The result also gives accuracy and per-class precision, recall and F1.
/// </summary>
/// <example>
/// <code>
/// var matrix = new ConfusionMatrix(classCount: 3);
/// matrix.Update(logits, labels);            // logits (N, 3), labels (N) int64
/// var result = matrix.Compute();
/// long confused = result.Counts[2, 0];      // true class 2 predicted as class 0
/// double f1 = result.Classes[2].F1;
/// </code>
/// </example>
public sealed class ConfusionMatrix : IMetric<ConfusionMatrixResult>
{
    private readonly long[,] _counts;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classCount">Number of classes C; predictions must have C columns and targets lie in [0, C).</param>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        _counts = new long[classCount, classCount];
    }

    /// <summary>Number of classes the matrix was built for.</summary>
    public int ClassCount => _counts.GetLength(0);

    /// <inheritdoc/>
    public void Update(Tensor predictions, Tensor targets)
    {
        MetricInputs.Check(predictions, targets, ClassCount);
        var predicted = MetricInputs.PredictedClasses(predictions);
        var labels = MetricInputs.Labels(targets);
        for (var i = 0; i < labels.Length; i++)
            _counts[labels[i], predicted[i]]++;
    }

    /// <summary>A snapshot of the counts since the last reset; later updates do not change it.</summary>
    public ConfusionMatrixResult Compute() => new(_counts);

    /// <inheritdoc/>
    public void Reset() => Array.Clear(_counts);
}
