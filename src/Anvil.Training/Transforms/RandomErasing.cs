using static TorchSharp.torch;

namespace Anvil.Training.Transforms;

/// <summary>
/// Cutout (random erasing with a fixed square): sets a <see cref="Size"/>×<see cref="Size"/> square at a
/// random centre of each image to 0, the mean of normalised inputs; squares may hang over the edge, as
/// in DeVries and Taylor (2017). It regularises a network that would otherwise memorise its training set.
/// </summary>
/// <example>
/// <code>var erased = new RandomErasing(size: 10).Apply(batch, generator);</code>
/// </example>
public sealed class RandomErasing : IBatchTransform
{
    public RandomErasing(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
    }

    public int Size { get; }

    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4)
            throw new ArgumentException($"RandomErasing expects (B, C, H, W) images, got shape [{string.Join(", ", batch.shape)}].", nameof(batch));
        using var scope = NewDisposeScope();
        long b = batch.shape[0], h = batch.shape[2], w = batch.shape[3];
        var cy = randint(0, h, [b, 1, 1, 1], generator: generator);
        var cx = randint(0, w, [b, 1, 1, 1], generator: generator);
        var top = cy - (Size / 2);
        var left = cx - (Size / 2);
        var ys = arange(h).view(1, 1, h, 1);
        var xs = arange(w).view(1, 1, 1, w);
        var inside = ys.ge(top).logical_and(ys.lt(top + Size)).logical_and(xs.ge(left)).logical_and(xs.lt(left + Size)); // (B, 1, H, W)
        return batch.masked_fill(inside, 0).MoveToOuterDisposeScope();
    }
}
