using static TorchSharp.torch;

namespace Anvil.Training.Metrics;

/// <summary>
/// Fraction of samples whose highest-scoring class (argmax over C) is the target class.
/// Accumulates counts, so the result over several batches equals the result over their concatenation.
/// </summary>
/// <example>
/// <code>
/// var accuracy = new Accuracy();
/// foreach (var (logits, labels) in batches) accuracy.Update(logits, labels);
/// double fraction = accuracy.Compute(); // e.g. 0.93
/// </code>
/// </example>
public sealed class Accuracy : IMetric<double>
{
    private long _correct;
    private long _total;

    /// <inheritdoc/>
    public void Update(Tensor predictions, Tensor targets)
    {
        MetricInputs.Check(predictions, targets);
        using var scope = NewDisposeScope();
        var correct = predictions.argmax(1).eq(targets); // (N) bool
        _correct += correct.sum().item<long>();
        _total += targets.shape[0];
    }

    /// <summary>Fraction in [0, 1] correct since the last reset; NaN when no sample was added (accuracy of nothing is undefined).</summary>
    public double Compute() => _total == 0 ? double.NaN : (double)_correct / _total;

    /// <inheritdoc/>
    public void Reset()
    {
        _correct = 0;
        _total = 0;
    }
}
