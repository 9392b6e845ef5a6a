using static TorchSharp.torch;

namespace Anvil.Training.Models;

/// <summary>
/// Refuses transposed convolutions this machine's libtorch computes wrongly, as <see cref="ConvolutionCheck"/> does
/// for convolutions. On a 1x1 input libtorch 2.10's float32 ConvTranspose2d is wrong on our Zen 3 machines, so
/// those layers never use it (<see cref="PointTransposedConvolution"/>). On larger inputs it was right for every
/// channel count we measured (1 to 128, on 7x7 and 14x14, stride 2); once per process, canaries of that kind
/// (17, 24, 40 and 64 input channels) are compared with float64 on a private generator, and if any is wrong,
/// every spatial transposed convolution is refused rather than trained on garbage.
/// </summary>
public static class TransposedConvolutionCheck
{
    /// <summary>Largest |float32 − float64| accepted (<see cref="Float64Canary.Tolerance"/>).</summary>
    public const double Tolerance = Float64Canary.Tolerance;

    private static readonly Float64Canary Canary = new(Canaries);

    /// <summary>max |float32 − float64| over the canary transposed convolutions; NaN counts as wrong.</summary>
    public static double MachineError => Canary.Error;

    /// <summary>True when this machine's libtorch got a canary transposed convolution wrong.</summary>
    public static bool MachineIsAffected => Canary.IsWrong;

    /// <exception cref="InvalidDataException">The layer needs a transposed convolution libtorch gets wrong on this machine.</exception>
    public static void Ensure(int layerIndex, long inChannels, long height, long width)
    {
        if ((height > 1 || width > 1) && MachineIsAffected)
        {
            throw new InvalidDataException(
                $"Layer {layerIndex} (conv_transpose) gets a {height}x{width} input with {inChannels} channels, and libtorch computes float32 " +
                $"transposed convolutions wrongly on this CPU (max error {MachineError:G3} against float64). Start the generator from a 1x1 input " +
                "and upsample with conv2d layers instead (docs/decisions/0011).");
        }
    }

    private static IEnumerable<(Tensor, Tensor)> Canaries()
    {
        var generator = new Generator(4321);
        foreach (var channels in new[] { 17, 24, 40, 64 })
        {
            var x = randn([2, channels, 7, 7], generator: generator);
            var w = randn([channels, 8, 4, 4], generator: generator) * 0.1;
            yield return (nn.functional.conv_transpose2d(x, w, null, [2, 2], [1, 1]),
                nn.functional.conv_transpose2d(x.to(float64), w.to(float64), null, [2, 2], [1, 1]));
        }
    }
}
