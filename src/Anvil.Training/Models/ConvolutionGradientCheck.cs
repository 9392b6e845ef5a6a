using static TorchSharp.torch;

namespace Anvil.Training.Models;

/// <summary>
/// Refuses to train through convolutions whose input gradient this machine's libtorch computes wrongly. On the AVX-512
/// EPYC of 1 Dec 2026, libtorch 2.10's float32 gradient w.r.t. a convolution's input was off by 2–17 (or NaN) for most
/// filter counts that are not a multiple of 16, now and then; forward passes and weight gradients were right, and so was
/// every multiple of 16 (decision 0004). That gradient feeds every layer below the convolution, so those layers would
/// train on garbage without a sign. Once per process, canaries of the affected kind are compared with float64; if any is
/// wrong, a convolution with such a filter count that has trainable layers below it is refused before training. Serving
/// and evaluation (forward only) are never refused.
/// </summary>
public static class ConvolutionGradientCheck
{
    /// <summary>Largest |float32 − float64| accepted (<see cref="Float64Canary.Tolerance"/>).</summary>
    public const double Tolerance = Float64Canary.Tolerance;

    private static readonly Float64Canary Canary = new(Canaries);

    /// <summary>max |float32 − float64| of the canaries' input gradients (8 and 24 filters, several calls); NaN counts as wrong.</summary>
    public static double MachineError => Canary.Error;

    /// <summary>True when this machine's libtorch got a canary's input gradient wrong.</summary>
    public static bool MachineIsAffected => Canary.IsWrong;

    /// <summary>Whether a filter count is of the kind whose input gradient libtorch 2.10 gets wrong on some CPUs.</summary>
    public static bool IsSuspect(long filters) => filters % 16 != 0;

    /// <param name="spec">The model to train.</param>
    /// <param name="inputGradient">True when the input itself needs a gradient (adversarial training attacks it), so every convolution, the first too, is back-propagated through.</param>
    /// <exception cref="ArgumentException">A layer would back-propagate through a convolution libtorch gets wrong here.</exception>
    public static void EnsureTrainable(ModelSpec spec, bool inputGradient = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var weightsBelow = inputGradient;
        for (var index = 0; index < spec.Layers.Count; index++)
        {
            var layer = spec.Layers[index];
            // A residual block back-propagates through its own second convolution even as the first layer.
            var needsInputGradient = layer.Type == LayerTypes.Residual || (layer.Type == LayerTypes.Conv2d && weightsBelow);
            if (needsInputGradient && layer.Filters is { } filters && IsSuspect(filters) && MachineIsAffected)
            {
                throw new ArgumentException(
                    $"Layer {index} ({layer.Type}) has {filters} filters, and libtorch computes the gradient through float32 convolutions " +
                    $"whose filter count is not a multiple of 16 wrongly on this CPU (max error {MachineError:G3} against float64), so " +
                    (inputGradient ? "attacks on the input would follow wrong gradients" : "the layers below it would train on wrong gradients") +
                    ". Give it 16, 32, 48 or 64 filters (docs/decisions/0004).");
            }
            weightsBelow |= layer.Type is not (LayerTypes.MaxPool2d or LayerTypes.AvgPool2d or LayerTypes.GlobalAvgPool or LayerTypes.Flatten
                or LayerTypes.Dropout or LayerTypes.Activation or LayerTypes.SequencePool);
        }
    }

    private static IEnumerable<(Tensor, Tensor)> Canaries()
    {
        var generator = new Generator(4321);
        for (var call = 0; call < 4; call++) // the defect shows on some calls only
        {
            foreach (var filters in new[] { 8, 24 })
            {
                var x = randn([6, 4, 7, 7], generator: generator).requires_grad_(true);
                var w = randn([filters, 4, 3, 3], generator: generator) * 0.1;
                var r = randn([6, filters, 7, 7], generator: generator);
                var x64 = x.detach().to(float64).requires_grad_(true);
                yield return (autograd.grad([(nn.functional.conv2d(x, w, padding: [1, 1]) * r).sum()], [x])[0],
                    autograd.grad([(nn.functional.conv2d(x64, w.to(float64), padding: [1, 1]) * r.to(float64)).sum()], [x64])[0]);
            }
        }
    }
}
