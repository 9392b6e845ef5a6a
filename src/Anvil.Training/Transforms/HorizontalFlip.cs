using static TorchSharp.torch;

namespace Anvil.Training.Transforms;

/// <summary>Mirrors each image left-right with probability <see cref="Probability"/>.</summary>
/// <example>
/// <code>var flipped = new HorizontalFlip().Apply(batch, generator);</code>
/// </example>
public sealed class HorizontalFlip : IBatchTransform
{
    public HorizontalFlip(double probability = 0.5)
    {
        if (probability is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Flip probability must be in [0, 1].");
        Probability = probability;
    }

    public double Probability { get; }

    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var flip = rand([batch.shape[0], 1, 1, 1], generator: generator).lt(Probability); // (B, 1, 1, 1)
        return where(flip, batch.flip(3), batch).MoveToOuterDisposeScope();
    }
}
