using static TorchSharp.torch;

namespace Anvil.Training.Metrics;

/// <summary>
/// The shape every metric shares (as Keras metrics do): accumulate batches with
/// <see cref="Update"/>, read the result with <see cref="Compute"/>, start over with <see cref="Reset"/>.
/// </summary>
/// <typeparam name="TResult">What the metric computes.</typeparam>
public interface IMetric<out TResult>
{
    /// <summary>Adds one batch.</summary>
    /// <param name="predictions">(N, C) class scores: logits or probabilities (softmax is monotonic, so either works unless the metric says otherwise).</param>
    /// <param name="targets">(N) int64 true class indices.</param>
    void Update(Tensor predictions, Tensor targets);

    /// <summary>The metric over every batch added since the last reset.</summary>
    TResult Compute();

    /// <summary>Forgets every batch.</summary>
    void Reset();
}
