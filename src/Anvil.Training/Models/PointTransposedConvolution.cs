using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>
/// A transposed convolution of a 1x1 input (a DCGAN generator's first layer: noise (B, Z, 1, 1) → (B, C, k, k)),
/// computed as one matrix product. libtorch 2.10's float32 ConvTranspose2d returns values off by 0.1–4 on such
/// inputs on our Zen 3 machines, for every channel count we tried (1 to 128; decision 0011); the product is exact
/// to float32 rounding and its gradients use no convolution kernel. Parameters are named and shaped as
/// ConvTranspose2d's (<c>weight</c> (Z, C, k, k), <c>bias</c> (C)) and initialised by it, so checkpoints and the
/// ONNX exporter see the same layer either way.
/// </summary>
/// <example>
/// <code>var layer = new PointTransposedConvolution(100, 128, kernel: 7, padding: 0); var y = layer.call(noise); // (B, 128, 7, 7)</code>
/// </example>
public sealed class PointTransposedConvolution : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly int _kernel;
    private readonly int _padding;

    /// <param name="inChannels">Z, the input's channels.</param>
    /// <param name="outChannels">C, the output's channels.</param>
    /// <param name="kernel">k: the output is k − 2·padding square.</param>
    /// <param name="padding">Rows and columns cropped from each side of the k×k result, as ConvTranspose2d does.</param>
    /// <param name="hasBias">Whether a per-channel bias is added.</param>
    public PointTransposedConvolution(long inChannels, long outChannels, int kernel, int padding, bool hasBias = true) : base(nameof(PointTransposedConvolution))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(kernel, 2 * padding);
        using var reference = ConvTranspose2d(inChannels, outChannels, kernel, padding: padding, bias: hasBias);
        weight = Parameter(reference.weight!.detach().clone());
        bias = hasBias ? Parameter(reference.bias!.detach().clone()) : null;
        (_kernel, _padding) = (kernel, padding);
        RegisterComponents();
    }

    /// <summary>(B, Z, 1, 1) → (B, C, k − 2p, k − 2p).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        var y = input.flatten(1).mm(weight.flatten(1)).view(batch, weight.shape[1], _kernel, _kernel); // (B, C, k, k)
        if (_padding > 0)
            y = y.narrow(2, _padding, _kernel - 2 * _padding).narrow(3, _padding, _kernel - 2 * _padding);
        if (bias is not null)
            y = y.add(bias.view(1, -1, 1, 1));
        return y.MoveToOuterDisposeScope();
    }
}
