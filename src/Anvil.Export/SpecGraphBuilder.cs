using System.Text.Json;
using Anvil.Export.Onnx;
using Anvil.Training.Data;
using Anvil.Training.Models;

namespace Anvil.Export;

/// <summary>
/// Walks a <see cref="ModelSpec"/> layer by layer, as ModelBuilder does, and emits the ONNX nodes of
/// the module each layer became: preprocessing first, then the layers, then the head: one softmax
/// for a classifier, the targets' unit restored for a regressor.
/// Module and state-dict names follow ModelBuilder: layer i is <c>layers.{i:D2}_{type}</c>.
/// </summary>
internal sealed class SpecGraphBuilder
{
    private readonly OnnxGraph _graph = new();
    private readonly ModelWeights _weights;
    private readonly LayerNodes _nodes;
    private readonly RecurrentNodes _recurrent;
    private SequenceLengths? _lengths; // token models only: series are full length

    private SpecGraphBuilder(ModelWeights weights)
    {
        _weights = weights;
        _nodes = new LayerNodes(_graph, weights);
        _recurrent = new RecurrentNodes(_graph, weights);
    }

    /// <exception cref="NotSupportedException">A layer type or activation the exporter does not know; the message names the layer.</exception>
    public static OnnxModel Build(ModelSpec spec, ModelWeights weights)
    {
        var builder = new SpecGraphBuilder(weights);
        var kind = InputKinds.Of(spec);
        if (kind == InputKinds.Tokens)
            builder._lengths = builder._recurrent.Lengths(OnnxExporter.InputName);
        var x = builder.Preprocess(spec, OnnxExporter.InputName);
        // Shapes only where a node needs a static size, so a layer type the builder knows and the
        // exporter does not is reported by the exporter below, not by the shape walk.
        var shapes = new Lazy<IReadOnlyList<(LayerSpec Layer, long[] Input, long[] Output)>>(() => ModelBuilder.LayerShapes(spec));
        for (var i = 0; i < spec.Layers.Count; i++)
            x = builder.Layer(i, spec.Layers[i], shapes, x);
        var output = OnnxExporter.OutputNameOf(spec);
        builder.Head(spec, x, output);
        weights.EnsureAllUsed();
        var metadata = new Dictionary<string, string>
        {
            ["class_names"] = JsonSerializer.Serialize(spec.ClassNames),
            ["anvil_spec"] = spec.ToJson(),
        };
        OnnxDimension[] outputShape = spec.Head == TaskKind.Generation
            ? [OnnxDimension.Named(OnnxExporter.BatchDimension), .. ModelBuilder.InferOutputShape(spec).Select(d => (OnnxDimension)d)]
            : [OnnxDimension.Named(OnnxExporter.BatchDimension), spec.ClassNames.Length];
        return new OnnxModel(spec.Name, builder._graph, Input(spec, kind), new OnnxValue(output, OnnxElementType.Float, outputShape), metadata);
    }

    // Images and vectors: float32 [batch, ...input_shape]. Sequences have a symbolic length too:
    // token ids int64 [batch, sequence], series float32 [batch, sequence, F].
    private static OnnxValue Input(ModelSpec spec, string kind)
    {
        var batch = OnnxDimension.Named(OnnxExporter.BatchDimension);
        var sequence = OnnxDimension.Named(OnnxExporter.SequenceDimension);
        return kind switch
        {
            InputKinds.Tokens => new OnnxValue(OnnxExporter.InputName, OnnxElementType.Int64, [batch, sequence]),
            InputKinds.Series => new OnnxValue(OnnxExporter.InputName, OnnxElementType.Float, [batch, sequence, spec.InputShape[1]]),
            _ => new OnnxValue(OnnxExporter.InputName, OnnxElementType.Float, [batch, .. spec.InputShape.Select(d => (OnnxDimension)d)]),
        };
    }

    // A classifier's logits become probabilities (once, also when the last layer declares "softmax").
    // A regressor was trained on standardised targets: y * std + mean gives the original unit, as evaluation computes it.
    private void Head(ModelSpec spec, string x, string output)
    {
        if (spec.Head == TaskKind.Classification)
        {
            _graph.Node("Softmax", output, [x], OnnxAttribute.Of("axis", 1L)); // (B, classes)
            return;
        }
        if (spec.Head == TaskKind.Generation)
        {
            // tanh's [-1, 1] → pixel values in [0, 1]: (x + 1) · 0.5, as the sample grids compute it.
            _graph.Node("Mul", output, [_graph.Node("Add", "image_shifted", [x, _graph.Scalar(1f)]), _graph.Scalar(0.5f)]);
            return;
        }
        if (spec.Preprocessing is { TargetMean: { } mean, TargetStd: { } std })
        {
            x = _graph.Node("Mul", "values_scaled", [x, _graph.Initializer("targets.std", [std.Length], std)]);
            _graph.Node("Add", output, [x, _graph.Initializer("targets.mean", [mean.Length], mean)]);
            return;
        }
        _graph.Node("Identity", output, [x]);
    }

    // Replays training's preprocessing on raw inputs: IdxReader/ImageFolderReader divide 8-bit values
    // by 255f, then Normalization subtracts the mean and divides by the std, per channel (C, 1, 1) or per feature (F).
    private string Preprocess(ModelSpec spec, string x)
    {
        if (spec.Preprocessing is not { } p)
            return x;
        if (p.Scale != 1)
        {
            // Scale 1/255 is applied in training as a division by 255f; dividing here too gives the
            // same float32 bits, where multiplying by (float)(1/255.0) would differ in the last bit.
            var divisor = 1 / p.Scale;
            x = Math.Abs(divisor - Math.Round(divisor)) < 1e-9 * divisor
                ? _graph.Node("Div", "input_scaled", [x, _graph.Scalar((float)Math.Round(divisor))])
                : _graph.Node("Mul", "input_scaled", [x, _graph.Scalar((float)p.Scale)]);
        }
        long[] dims = spec.InputShape.Length == 3 ? [p.Mean.Length, 1, 1] : [p.Mean.Length]; // series (B, T, F): per feature, broadcast over T
        x = _graph.Node("Sub", "input_centered", [x, _graph.Initializer("preprocessing.mean", dims, p.Mean)]);
        return _graph.Node("Div", "input_normalized", [x, _graph.Initializer("preprocessing.std", dims, p.Std)]);
    }

    private string Layer(int index, LayerSpec layer, Lazy<IReadOnlyList<(LayerSpec Layer, long[] Input, long[] Output)>> shapes, string x)
    {
        if (layer.Activation is { } a && !LayerNodes.Activations.Contains(a))
            throw Unsupported(index, layer, $"activation '{a}' is not supported; supported activations: {string.Join(", ", LayerNodes.Activations)}.");
        var key = $"layers.{index:D2}_{layer.Type}.";
        var name = $"l{index:D2}_{layer.Type}";
        switch (layer.Type)
        {
            case LayerTypes.Conv2d:
                // Sequential: 0 Conv2d (bias only without BN), [1 BatchNorm2d], then the activation.
                var padding = layer.Padding == "same" ? (layer.Kernel ?? 3) / 2 : 0;
                x = _nodes.Conv(x, key + "0.", name, layer.Stride ?? 1, padding);
                if (layer.BatchNorm == true)
                    x = _nodes.BatchNorm(x, key + "1.", name + "_bn");
                return layer.Activation is { } activation ? _nodes.Activation(x, activation, name + "_act") : x;
            case LayerTypes.ConvTranspose:
                // Sequential: 0 ConvTranspose2d or PointTransposedConvolution (the same parameters), [1 BatchNorm2d], then the activation.
                x = _nodes.ConvTranspose(x, key + "0.", name, layer.Stride ?? 1, TransposedConvolution.PaddingOf(layer));
                if (layer.BatchNorm == true)
                    x = _nodes.BatchNorm(x, key + "1.", name + "_bn");
                return layer.Activation is { } upActivation ? _nodes.Activation(x, upActivation, name + "_act") : x;
            case LayerTypes.BatchNorm:
                return _nodes.BatchNorm(x, key, name);
            case LayerTypes.MaxPool2d:
                return _nodes.Pool("MaxPool", x, name, layer.Size ?? 2, layer.Stride ?? layer.Size ?? 2, layer.Padding == "same" ? (layer.Size ?? 2) / 2 : 0);
            case LayerTypes.AvgPool2d:
                return _nodes.Pool("AveragePool", x, name, layer.Size ?? 2, layer.Stride ?? layer.Size ?? 2);
            case LayerTypes.GlobalAvgPool:
                return _nodes.Flatten(_graph.Node("GlobalAveragePool", name + "_pool", [x]), name); // (B, C, 1, 1) → (B, C)
            case LayerTypes.Flatten:
                return _nodes.Flatten(x, name);
            case LayerTypes.Dense:
                // A bare Linear, or Sequential(0 Linear, 1 activation) for a real activation.
                if (layer.Activation is null or "softmax" or "linear")
                    return _nodes.Linear(x, key, name);
                return _nodes.Activation(_nodes.Linear(x, key + "0.", name), layer.Activation, name + "_act");
            case LayerTypes.Dropout:
                return x; // identity in eval mode
            case LayerTypes.Activation:
                return _nodes.Activation(x, layer.Activation ?? "linear", name);
            case LayerTypes.Residual:
                return Residual(x, key, name, layer.Stride ?? 1);
            case LayerTypes.Embedding:
                return _recurrent.Embedding(x, key, name);
            case LayerTypes.Lstm or LayerTypes.Gru:
                return _recurrent.Recurrent(x, key, name, layer, _lengths);
            case LayerTypes.SequencePool:
                return _recurrent.Pool(x, layer.Pooling ?? "", shapes.Value[index].Input[1], name, _lengths); // input [T, F]
            default:
                throw Unsupported(index, layer, $"layer type '{layer.Type}' is not supported; supported types: {string.Join(", ", LayerTypes.All)}.");
        }
    }

    // ResidualBlock: body = conv3x3(stride)-BN-ReLU-conv3x3-BN; shortcut = identity, or conv1x1(stride)-BN
    // when the shape changes; output = ReLU(body + shortcut).
    private string Residual(string x, string key, string name, int stride)
    {
        var body = _nodes.Conv(x, key + "body.0.", name + "_conv1", stride, padding: 1);
        body = _nodes.Relu(_nodes.BatchNorm(body, key + "body.1.", name + "_bn1"), name + "_relu1");
        body = _nodes.BatchNorm(_nodes.Conv(body, key + "body.3.", name + "_conv2", 1, padding: 1), key + "body.4.", name + "_bn2");
        var shortcut = x;
        if (_weights.Contains(key + "shortcut.0.weight"))
            shortcut = _nodes.BatchNorm(_nodes.Conv(x, key + "shortcut.0.", name + "_proj", stride, padding: 0), key + "shortcut.1.", name + "_proj_bn");
        return _nodes.Relu(_nodes.Add(body, shortcut, name + "_sum"), name);
    }

    private static NotSupportedException Unsupported(int index, LayerSpec layer, string message) =>
        new($"Layer {index} ({layer.Type}) cannot be exported to ONNX: {message}");
}
