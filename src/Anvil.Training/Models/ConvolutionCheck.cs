using static TorchSharp.torch;

namespace Anvil.Training.Models;

/// <summary>
/// Refuses convolutions this machine's libtorch computes wrongly. libtorch 2.10's float32 convolution
/// on the Zen 3 machines we run returns values off by ~1, or NaN, for input-channel counts above 16
/// that are not a multiple of 16 (17, 20, 24, 40 measured; decision 0004) — not on every call, so a
/// model would train on garbage now and then without a sign. Once per process, three such
/// convolutions are compared with float64 on a private generator (the global seed is untouched); if
/// any is wrong, every convolution of that kind is refused. Other channel counts are never affected.
/// </summary>
public static class ConvolutionCheck
{
    /// <summary>Largest |float32 − float64| accepted (<see cref="Float64Canary.Tolerance"/>).</summary>
    public const double Tolerance = Float64Canary.Tolerance;

    private static readonly Float64Canary Canary = new(Canaries);

    /// <summary>Whether the input-channel count is of the kind libtorch 2.10 gets wrong on some CPUs.</summary>
    public static bool IsSuspect(long inChannels) => inChannels > 16 && inChannels % 16 != 0;

    /// <summary>max |float32 − float64| over the canary convolutions (17, 24 and 40 input channels); NaN counts as wrong.</summary>
    public static double MachineError => Canary.Error;

    /// <summary>True when this machine's libtorch got a canary convolution wrong.</summary>
    public static bool MachineIsAffected => Canary.IsWrong;

    /// <exception cref="InvalidDataException">The layer needs a convolution libtorch gets wrong on this machine.</exception>
    public static void Ensure(int layerIndex, string layerType, long inChannels)
    {
        if (IsSuspect(inChannels) && MachineIsAffected)
        {
            throw new InvalidDataException(
                $"Layer {layerIndex} ({layerType}) gets {inChannels} input channels, and libtorch computes float32 convolutions " +
                $"with more than 16 input channels that are not a multiple of 16 wrongly on this CPU (max error {MachineError:G3} " +
                "against float64). Give the layer before it 16 channels or fewer, or a multiple of 16 (docs/decisions/0004).");
        }
    }

    private static IEnumerable<(Tensor, Tensor)> Canaries()
    {
        var generator = new Generator(1234);
        foreach (var channels in new[] { 17, 24, 40 })
        {
            var x = randn([2, channels, 11, 11], generator: generator);
            var w = randn([4, channels, 3, 3], generator: generator) * 0.1;
            yield return (nn.functional.conv2d(x, w, padding: [1, 1]), nn.functional.conv2d(x.to(float64), w.to(float64), padding: [1, 1]));
        }
    }
}
