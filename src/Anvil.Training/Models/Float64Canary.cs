using static TorchSharp.torch;

namespace Anvil.Training.Models;

/// <summary>
/// Float32 computations of libtorch compared with the same in float64, once per process and only when first asked: how
/// <see cref="ConvolutionCheck"/>, <see cref="TransposedConvolutionCheck"/> and <see cref="ConvolutionGradientCheck"/>
/// tell whether this machine has the defect they guard against.
/// </summary>
/// <param name="pairs">Each canary's float32 result and its float64 reference, computed when enumerated.</param>
internal sealed class Float64Canary(Func<IEnumerable<(Tensor Single, Tensor Reference)>> pairs)
{
    /// <summary>Largest |float32 − float64| accepted; float32 rounding on the canaries' sizes stays below 1e-4.</summary>
    public const double Tolerance = 1e-3;

    private readonly Lazy<double> _error = new(() => Measure(pairs));

    /// <summary>max |float32 − float64| over the canaries; NaN counts as infinitely wrong.</summary>
    public double Error => _error.Value;

    /// <summary>True when this machine's libtorch got a canary wrong.</summary>
    public bool IsWrong => !(Error <= Tolerance);

    private static double Measure(Func<IEnumerable<(Tensor Single, Tensor Reference)>> pairs)
    {
        using var scope = NewDisposeScope();
        var worst = 0.0;
        foreach (var (single, reference) in pairs())
        {
            var error = (single.to(float64) - reference).abs().max().item<double>();
            worst = double.IsNaN(error) ? double.PositiveInfinity : Math.Max(worst, error);
        }
        return worst;
    }
}
