using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>Creates one layer's module and its output shape; validates the layer against its input shape.</summary>
internal static class LayerFactory
{
    /// <summary>
    /// The module is a <c>Module&lt;Tensor, Tensor&gt;</c>, or for layers that read sequence lengths
    /// (lstm, gru, sequence_pool) a <c>Module&lt;Tensor, Tensor?, Tensor&gt;</c>; null when not <paramref name="build"/>.
    /// </summary>
    public static (Module? Module, long[] Output) Create(LayerContext c, bool build)
    {
        var layer = c.Layer;
        if (c.IsTokenIds && layer.Type != LayerTypes.Embedding)
            throw c.Error("receives token ids; the first layer of a \"tokens\" model must be {\"type\": \"embedding\"}.");
        // A series has a fixed T, so its steps may be flattened; token ids vary in length (padding) and must be pooled.
        if (c.InputShape.Length == 2 && (layer.Type is LayerTypes.BatchNorm or LayerTypes.Dense || (layer.Type == LayerTypes.Flatten && !c.IsSeries)))
            throw c.SequenceError();
        if (layer.Activation is { } a && !LayerTypes.Activations.Contains(a))
            throw c.Error($"unknown activation '{a}'. Use one of: {string.Join(", ", LayerTypes.Activations)}.");
        if (layer.Activation == "softmax" && !c.IsLast)
            throw c.Error("softmax is only allowed on the last layer (the model returns logits; softmax is applied when predicting).");
        return layer.Type switch
        {
            LayerTypes.Conv2d => Conv(c, build),
            LayerTypes.ConvTranspose => TransposedConvolution.Create(c, build),
            LayerTypes.Residual => Residual(c, build),
            LayerTypes.MaxPool2d or LayerTypes.AvgPool2d => Pool(c, build),
            LayerTypes.GlobalAvgPool => GlobalPool(c, build),
            LayerTypes.BatchNorm => (build ? Norm(c.InputShape) : null, c.InputShape),
            LayerTypes.Flatten => (build ? Flatten() : null, [c.InputShape.Aggregate(1L, (x, y) => checked(x * y))]),
            LayerTypes.Dense => Dense(c, build),
            LayerTypes.Dropout => Dropout(c, build),
            LayerTypes.Activation => (build ? ActivationModule(layer.Activation ?? throw c.Error($"\"activation\" is required. Use one of: {string.Join(", ", LayerTypes.Activations)}.")) : null, c.InputShape),
            LayerTypes.Embedding => SequenceLayerFactory.Embedding(c, build),
            LayerTypes.Lstm or LayerTypes.Gru => SequenceLayerFactory.Recurrent(c, build),
            LayerTypes.SequencePool => SequenceLayerFactory.Pool(c, build),
            _ => throw c.Error($"unknown layer type '{layer.Type}'. Use one of: {string.Join(", ", LayerTypes.All)}."),
        };
    }

    private static (Module<Tensor, Tensor>?, long[]) Conv(LayerContext c, bool build)
    {
        var (channels, h, w) = c.RequireImage();
        var filters = c.Required(c.Layer.Filters, "filters");
        var kernel = c.Required(c.Layer.Kernel ?? 3, "kernel");
        var stride = c.Required(c.Layer.Stride ?? 1, "stride");
        var padding = c.Layer.Padding switch
        {
            null or "valid" => 0,
            "same" when kernel % 2 == 1 => kernel / 2,
            "same" => throw c.Error($"\"same\" padding needs an odd kernel, got {kernel}."),
            var p => throw c.Error($"unknown padding '{p}'. Use \"valid\" or \"same\"."),
        };
        long outH = (h + 2 * padding - kernel) / stride + 1, outW = (w + 2 * padding - kernel) / stride + 1;
        if (h + 2 * padding < kernel || w + 2 * padding < kernel)
            throw c.Error($"a {kernel}x{kernel} kernel does not fit a {h}x{w} input. Use \"padding\": \"same\", a smaller kernel, or fewer pooling layers before it.");
        long[] output = [filters, outH, outW];
        if (!build)
            return (null, output);
        var batchNorm = c.Layer.BatchNorm == true;
        var modules = new List<Module<Tensor, Tensor>> { Conv2d(channels, filters, kernel, stride: stride, padding: padding, bias: !batchNorm) };
        if (batchNorm)
            modules.Add(BatchNorm2d(filters));
        if (c.Layer.Activation is { } a)
            modules.Add(ActivationModule(a));
        return (Sequential(modules), output);
    }

    private static (Module<Tensor, Tensor>?, long[]) Residual(LayerContext c, bool build)
    {
        var (channels, h, w) = c.RequireImage();
        var filters = c.Required(c.Layer.Filters ?? (int)channels, "filters");
        var stride = c.Required(c.Layer.Stride ?? 1, "stride");
        long[] output = [filters, (h - 1) / stride + 1, (w - 1) / stride + 1];
        return (build ? new ResidualBlock((int)channels, filters, stride) : null, output);
    }

    private static (Module<Tensor, Tensor>?, long[]) Pool(LayerContext c, bool build)
    {
        var (channels, h, w) = c.RequireImage();
        var size = c.Required(c.Layer.Size ?? 2, "size");
        var stride = c.Required(c.Layer.Stride ?? size, "stride");
        var padding = PoolPadding(c, size);
        if (h + 2 * padding < size || w + 2 * padding < size)
            throw c.Error($"a {size}x{size} pooling window does not fit a {h}x{w} input. Remove a pooling layer or use \"padding\": \"same\" convolutions.");
        long[] output = [channels, (h + 2 * padding - size) / stride + 1, (w + 2 * padding - size) / stride + 1];
        Module<Tensor, Tensor>? module = !build ? null
            : c.Layer.Type == LayerTypes.MaxPool2d ? MaxPool2d(size, stride, padding) : AvgPool2d(size, stride);
        return (module, output);
    }

    /// <summary>
    /// A pooling window's padding on each side: 0 ("valid", the default), or size / 2 for "same" (max pooling only,
    /// odd sizes: ResNet's 3x3 stride-2 stem pool). Padded cells never win a maximum; an average would have to choose
    /// whether to count them, so average pooling takes no padding.
    /// </summary>
    internal static int PoolPadding(LayerContext c, int size) => c.Layer.Padding switch
    {
        null or "valid" => 0,
        "same" when c.Layer.Type != LayerTypes.MaxPool2d => throw c.Error("\"same\" padding is for maxpool2d only; remove \"padding\" (averages would count the padded cells)."),
        "same" when size % 2 == 1 => size / 2,
        "same" => throw c.Error($"\"same\" padding needs an odd size, got {size}."),
        var p => throw c.Error($"unknown padding '{p}'. Use \"valid\" or \"same\"."),
    };

    private static (Module<Tensor, Tensor>?, long[]) GlobalPool(LayerContext c, bool build)
    {
        var (channels, _, _) = c.RequireImage();
        return (build ? Sequential(AdaptiveAvgPool2d(1), Flatten()) : null, [channels]);
    }

    private static (Module<Tensor, Tensor>?, long[]) Dense(LayerContext c, bool build)
    {
        if (c.InputShape.Length != 1)
            throw c.Error("expects a flat input [F]; add {\"type\": \"flatten\"} or {\"type\": \"global_avgpool\"} before it.");
        var units = c.Layer.Units ?? (c.IsLastDense ? c.ClassCount : c.Required(null, "units"));
        c.Required(units, "units");
        if (!build)
            return (null, [units]);
        var linear = Linear(c.InputShape[0], units);
        var activation = c.Layer.Activation;
        return (activation is null or "softmax" or "linear" ? linear : Sequential(linear, ActivationModule(activation)), [units]);
    }

    private static (Module<Tensor, Tensor>?, long[]) Dropout(LayerContext c, bool build)
    {
        if (c.Layer.Rate is not (>= 0 and < 1))
            throw c.Error($"\"rate\" must be in [0, 1), got {c.Layer.Rate?.ToString() ?? "nothing"}.");
        return (build ? nn.Dropout(c.Layer.Rate.Value) : null, c.InputShape);
    }

    private static Module<Tensor, Tensor> Norm(long[] shape) =>
        shape.Length == 3 ? BatchNorm2d(shape[0]) : BatchNorm1d(shape[0]);

    internal static Module<Tensor, Tensor> ActivationModule(string name) => name switch
    {
        "relu" => ReLU(),
        "leaky_relu" => LeakyReLU(LayerTypes.LeakyReluSlope),
        "gelu" => GELU(),
        "tanh" => Tanh(),
        "sigmoid" => Sigmoid(),
        _ => Identity(), // "linear"; "softmax" on the last layer is applied at prediction time
    };
}
