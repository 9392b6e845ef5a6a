using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Anvil.Training.Models;

/// <summary>
/// Refuses convolutions this machine's libtorch computes wrongly. libtorch 2.10's float32 convolution
/// on the Zen 3 machines we run returns values off by ~1 (sometimes NaN) for some input-channel
/// counts (17, 20, 24, 40 measured; ≤ 16 and multiples of 16 are right; decision 0004), which would
/// train a model on garbage without a sign. Each distinct (channels, kernel) is checked once per
/// process against float64 on a private random generator, so the global seed is not disturbed.
/// </summary>
public static class ConvolutionCheck
{
    /// <summary>Largest |float32 − float64| accepted; float32 rounding on these sizes stays below 1e-5.</summary>
    public const double Tolerance = 1e-3;

    private static readonly ConcurrentDictionary<(int Channels, int Kernel), double> Errors = new();

    /// <summary>max |float32 − float64| of a small convolution with this many input channels and this kernel.</summary>
    public static double MeasuredError(int inChannels, int kernel) =>
        Errors.GetOrAdd((inChannels, kernel), key => Measure(key.Channels, key.Kernel));

    /// <exception cref="InvalidDataException">libtorch computes this convolution wrongly on this machine.</exception>
    public static void Ensure(int layerIndex, string layerType, long inChannels, int kernel)
    {
        var error = MeasuredError(checked((int)inChannels), kernel);
        if (!(error <= Tolerance))
        {
            throw new InvalidDataException(
                $"Layer {layerIndex} ({layerType}) gets {inChannels} input channels, and libtorch computes {kernel}×{kernel} float32 " +
                $"convolutions with {inChannels} input channels wrongly on this CPU (max error {error:G3} against float64). " +
                "Give the layer before it a channel count that is 16 or less or a multiple of 16 (docs/decisions/0004).");
        }
    }

    private static double Measure(int channels, int kernel)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(1234);
        var x = randn([2, channels, 2 * kernel + 5, 2 * kernel + 5], generator: generator);
        var w = randn([4, channels, kernel, kernel], generator: generator) * 0.1;
        var single = nn.functional.conv2d(x, w, padding: [kernel / 2, kernel / 2]);
        var reference = nn.functional.conv2d(x.to(float64), w.to(float64), padding: [kernel / 2, kernel / 2]);
        return (single.to(float64) - reference).abs().max().item<double>();
    }
}
