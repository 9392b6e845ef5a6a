using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>Classification: cross-entropy with label smoothing; the epoch figure is accuracy.</summary>
/// <example>
/// <code>var step = new ClassificationStep(labelSmoothing: 0.1);</code>
/// </example>
public sealed class ClassificationStep(double labelSmoothing) : ITrainingStep
{
    private long _correct;
    private long _seen;

    /// <inheritdoc />
    public Tensor Loss(Tensor inputs, Tensor outputs, Tensor targets) => CrossEntropy.Loss(outputs, targets, labelSmoothing);

    /// <inheritdoc />
    public void Update(Tensor outputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        _correct += outputs.argmax(1).eq(targets).sum().item<long>();
        _seen += targets.shape[0];
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Compute()
    {
        var accuracy = (double)_correct / Math.Max(1, _seen);
        (_correct, _seen) = (0, 0);
        return new Dictionary<string, double> { ["accuracy"] = accuracy };
    }

    /// <inheritdoc />
    public (double Loss, IReadOnlyDictionary<string, double> Metrics) Validate(SpecModel model, TensorDataset data)
    {
        var (loss, accuracy) = Evaluator.LossAndAccuracy(model, data);
        return (loss, new Dictionary<string, double> { ["val_accuracy"] = accuracy });
    }
}
