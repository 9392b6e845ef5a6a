using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>
/// Reduces a sequence (B, T, F) to (B, F) over each sequence's valid steps only: the last valid step,
/// their mean, or their element-wise maximum. Steps at or after a sequence's length never count.
/// </summary>
/// <example>
/// <code>using var pool = new SequencePool("mean"); var pooled = pool.forward(sequence, lengths);</code>
/// </example>
public sealed class SequencePool : Module<Tensor, Tensor?, Tensor>
{
    private readonly string _pooling;

    /// <param name="pooling">One of <see cref="LayerTypes.Poolings"/>.</param>
    public SequencePool(string pooling) : base(LayerTypes.SequencePool)
    {
        if (!LayerTypes.Poolings.Contains(pooling))
            throw new ArgumentException($"Pooling must be one of: {string.Join(", ", LayerTypes.Poolings)}; got '{pooling}'.", nameof(pooling));
        _pooling = pooling;
    }

    /// <summary>(B, T, F) and valid lengths (B) int64, each ≥ 1, or null when every sequence is full length → (B, F).</summary>
    public override Tensor forward(Tensor input, Tensor? lengths)
    {
        if (lengths is null)
        {
            return _pooling switch
            {
                "last" => input.select(1, -1),
                "mean" => input.mean([1]),
                _ => input.amax(1),
            };
        }
        using var scope = NewDisposeScope();
        var (batch, steps, features) = (input.shape[0], input.shape[1], input.shape[2]);
        var result = _pooling switch
        {
            // index (B, 1, F) holding length − 1 → the step at that index of each sequence.
            "last" => input.gather(1, (lengths - 1).view(batch, 1, 1).expand(batch, 1, features)).squeeze(1),
            "mean" => (input * ValidSteps(lengths, steps).unsqueeze(2).to(input.dtype)).sum(1) / lengths.unsqueeze(1).to(input.dtype),
            _ => input.masked_fill(ValidSteps(lengths, steps).logical_not().unsqueeze(2), float.NegativeInfinity).amax(1),
        };
        return result.MoveToOuterDisposeScope();
    }

    // (B, T) bool: step t of sequence b is valid when t < lengths[b].
    private static Tensor ValidSteps(Tensor lengths, long steps) =>
        arange(steps, dtype: ScalarType.Int64, device: lengths.device).unsqueeze(0) < lengths.unsqueeze(1);
}
