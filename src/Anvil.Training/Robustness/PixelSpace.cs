using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Robustness;

/// <summary>
/// The model's normalised image inputs as pixels scaled to [0, 1] and back, with the preprocessing a run fitted
/// (<c>scale</c>, then per-channel mean and std): where attacks measure ε and clamp.
/// </summary>
/// <example><code>using var space = new PixelSpace(spec.Preprocessing!, channels: 1); var x = space.ToInputs(space.ToPixels(batch));</code></example>
public sealed class PixelSpace : IDisposable
{
    private readonly Tensor _mean; // (1, C, 1, 1)
    private readonly Tensor _std;  // (1, C, 1, 1)
    private readonly float _rawPerPixel; // scaled units per [0, 1] pixel: 1 for 8-bit images scaled by 1/255

    public PixelSpace(PreprocessingSpec preprocessing, long channels)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        _mean = tensor(Broadcast(preprocessing.Mean, channels)).reshape(1, channels, 1, 1).DetachFromDisposeScope();
        _std = tensor(Broadcast(preprocessing.Std, channels)).reshape(1, channels, 1, 1).DetachFromDisposeScope();
        _rawPerPixel = (float)(255 * preprocessing.Scale);
    }

    /// <summary>(N, C, H, W) normalised inputs → pixels, clamped to [0, 1].</summary>
    public Tensor ToPixels(Tensor normalised) => ((normalised * _std + _mean) / _rawPerPixel).clamp(0, 1);

    /// <summary>(N, C, H, W) pixels in [0, 1] → the model's normalised inputs.</summary>
    public Tensor ToInputs(Tensor pixels) => (pixels * _rawPerPixel - _mean) / _std;

    public void Dispose()
    {
        _mean.Dispose();
        _std.Dispose();
    }

    private static float[] Broadcast(float[] values, long channels) =>
        values.Length == channels ? values : values.Length == 1 ? Enumerable.Repeat(values[0], (int)channels).ToArray()
            : throw new ArgumentException($"The preprocessing has {values.Length} means for {channels} channels.");
}
