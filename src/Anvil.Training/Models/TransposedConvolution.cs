using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>
/// The conv_transpose layer: an upsampling convolution. "valid" padding (the default) gives
/// (H − 1)·stride + kernel; "same" gives H·stride and needs kernel − stride even and not negative.
/// A 1x1 input runs as <see cref="PointTransposedConvolution"/>, any other as libtorch's ConvTranspose2d
/// (checked by <see cref="TransposedConvolutionCheck"/>); both hold the same parameters.
/// </summary>
public static class TransposedConvolution
{
    /// <summary>The rows and columns a valid conv_transpose layer crops from each side (its ONNX <c>pads</c>).</summary>
    public static int PaddingOf(LayerSpec layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var (kernel, stride) = (layer.Kernel ?? 4, layer.Stride ?? 1);
        return layer.Padding == "same" ? (kernel - stride) / 2 : 0;
    }

    internal static (Module<Tensor, Tensor>?, long[]) Create(LayerContext c, bool build)
    {
        var (channels, h, w) = c.RequireImage();
        var filters = c.Required(c.Layer.Filters, "filters");
        var kernel = c.Required(c.Layer.Kernel ?? 4, "kernel");
        var stride = c.Required(c.Layer.Stride ?? 1, "stride");
        var padding = Padding(c, kernel, stride);
        long outH = (h - 1) * stride + kernel - 2 * padding, outW = (w - 1) * stride + kernel - 2 * padding;
        long[] output = [filters, outH, outW];
        if (!build)
            return (null, output);
        var point = h == 1 && w == 1;
        if (!point)
            TransposedConvolutionCheck.Ensure(c.Index, channels, h, w);
        var batchNorm = c.Layer.BatchNorm == true;
        Module<Tensor, Tensor> convolution = point
            ? new PointTransposedConvolution(channels, filters, kernel, padding, hasBias: !batchNorm)
            : ConvTranspose2d(channels, filters, kernel, stride: stride, padding: padding, bias: !batchNorm);
        var modules = new List<Module<Tensor, Tensor>> { convolution };
        if (batchNorm)
            modules.Add(BatchNorm2d(filters));
        if (c.Layer.Activation is { } a)
            modules.Add(LayerFactory.ActivationModule(a));
        return (Sequential(modules), output);
    }

    /// <summary>Rows and columns ConvTranspose2d crops from each side; refuses a padding that does not fit.</summary>
    internal static int Padding(LayerContext c, int kernel, int stride) => c.Layer.Padding switch
    {
        null or "valid" => 0,
        "same" when kernel >= stride && (kernel - stride) % 2 == 0 => (kernel - stride) / 2,
        "same" => throw c.Error($"\"same\" padding needs kernel − stride to be even and not negative, got kernel {kernel} and stride {stride} (e.g. kernel 4, stride 2)."),
        var p => throw c.Error($"unknown padding '{p}'. Use \"valid\" or \"same\"."),
    };
}
