using static TorchSharp.torch;

namespace Anvil.Training.Transforms;

/// <summary>
/// Pads each image by <see cref="Padding"/> pixels (zeros) and crops it back to its size at a
/// random offset: a random translation of up to ±padding pixels, as in the CIFAR training recipes.
/// </summary>
/// <example>
/// <code>var shifted = new RandomCrop(padding: 2).Apply(batch, generator);</code>
/// </example>
public sealed class RandomCrop : IBatchTransform
{
    public RandomCrop(int padding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(padding);
        Padding = padding;
    }

    public int Padding { get; }

    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4)
            throw new ArgumentException($"RandomCrop expects (B, C, H, W) images, got shape [{string.Join(", ", batch.shape)}].", nameof(batch));
        using var scope = NewDisposeScope();
        long b = batch.shape[0], c = batch.shape[1], h = batch.shape[2], w = batch.shape[3], p = Padding;
        var padded = nn.functional.pad(batch, [p, p, p, p]); // (B, C, H+2p, W+2p)
        var dy = randint(0, 2 * p + 1, [b, 1], generator: generator);
        var dx = randint(0, 2 * p + 1, [b, 1], generator: generator);
        // Two gathers pick, per image, rows dy..dy+H and then columns dx..dx+W.
        var rows = (arange(h).unsqueeze(0) + dy).view(b, 1, h, 1).expand(b, c, h, w + 2 * p);
        var cropped = padded.gather(2, rows); // (B, C, H, W+2p)
        var cols = (arange(w).unsqueeze(0) + dx).view(b, 1, 1, w).expand(b, c, h, w);
        return cropped.gather(3, cols).MoveToOuterDisposeScope(); // (B, C, H, W)
    }
}
