using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>
/// ResNet's basic block: conv3x3-BN-ReLU-conv3x3-BN plus a shortcut (identity, or a strided
/// 1x1 conv with BN when the shape changes), then ReLU.
/// </summary>
/// <example>
/// <code>var block = new ResidualBlock(inChannels: 32, outChannels: 64, stride: 2);</code>
/// </example>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> body;
    private readonly Module<Tensor, Tensor> shortcut;

    public ResidualBlock(int inChannels, int outChannels, int stride) : base(nameof(ResidualBlock))
    {
        body = Sequential(
            Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false),
            BatchNorm2d(outChannels),
            ReLU(),
            Conv2d(outChannels, outChannels, 3, padding: 1, bias: false),
            BatchNorm2d(outChannels));
        shortcut = inChannels == outChannels && stride == 1
            ? Identity()
            : Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
        RegisterComponents();
    }

    /// <summary>(B, Cin, H, W) → (B, Cout, H/stride, W/stride).</summary>
    public override Tensor forward(Tensor input)
    {
        using var residual = shortcut.forward(input);
        using var output = body.forward(input);
        return functional.relu(output.add_(residual));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            shortcut.Dispose();
        }
        base.Dispose(disposing);
    }
}
