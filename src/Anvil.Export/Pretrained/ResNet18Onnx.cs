using Anvil.Training.Models;
using Anvil.Training.Transfer;
using Onnx;

namespace Anvil.Export.Pretrained;

/// <summary>
/// Reads the ImageNet ResNet-18 of NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> (a CNTK export, opset 8,
/// weights named <c>Parameter10</c>…) into the state-dict keys of the built-in <c>resnet-18</c> spec. The graph is
/// walked from its input, node by node along the values each reads, and every weight's shape and every
/// convolution's kernel, stride and padding is checked: a graph that is not this network is refused with one line
/// naming the first difference. The stem's input channels are reordered from the file's B, G, R to R, G, B, so the
/// model takes images as Anvil decodes them.
/// </summary>
/// <remarks>
/// The file pads its stride-2 convolutions and its pool asymmetrically (e.g. 3 before and 2 after the 7x7 stem);
/// the module pads both sides equally. On inputs whose side is a multiple of 32 (224, 64) every stride-2 layer
/// sees an even size, where the extra cell after is never read, so the two compute the same thing.
/// </remarks>
internal static class ResNet18Onnx
{
    private static readonly (int Channels, int Stride)[] Blocks = [(64, 1), (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1)];

    // TorchSharp's BatchNorm2d epsilon, which the module keeps.
    private const float Epsilon = 1e-5f;

    /// <summary>The backbone's layers the file fills: stem conv, pool, nine blocks, global pool.</summary>
    public static int BackboneLayers => Blocks.Length + 3;

    public static Dictionary<string, PretrainedTensor> Read(OnnxGraphWalk g)
    {
        var tensors = new Dictionary<string, PretrainedTensor>();
        var stem = g.Next(g.Input(), "Conv", "stem convolution");
        var (shape, values) = Conv(g, stem, 3, 64, kernel: 7, stride: 2, "stem convolution");
        tensors["layers.00_conv2d.0.weight"] = new(shape, BgrToRgb(values, 64, 7 * 7));
        var x = Relu(g, BatchNorm(g, stem, "layers.00_conv2d.1.", 64, tensors, "stem batch norm"), "stem");
        var pool = g.Next(x, "MaxPool", "stem pooling");
        if (!OnnxGraphWalk.Ints(pool, "kernel_shape", []).SequenceEqual([3L, 3]) || !OnnxGraphWalk.Ints(pool, "strides", [1, 1]).SequenceEqual([2L, 2]) || !Pads(pool, 1))
            throw g.Mismatch("stem pooling: expected a 3x3 max pool with stride 2 and padding 1");
        x = pool.Output[0];
        var inChannels = 64;
        for (var i = 0; i < Blocks.Length; i++)
        {
            x = Block(g, x, $"layers.{i + 2:D2}_{LayerTypes.Residual}.", inChannels, Blocks[i], tensors, $"block {i + 1}");
            inChannels = Blocks[i].Channels;
        }
        var end = g.TryNext(x, "GlobalAveragePool") ?? g.Next(x, "AveragePool", $"after block {Blocks.Length}, the global pooling");
        if (!g.Graph.Output.Any(o => o.Name == end.Output[0]))
            throw g.Mismatch("the pooled 512 features are not the graph's output");
        if (g.Graph.Node.Count != Visited(tensors))
            throw g.Mismatch($"it has {g.Graph.Node.Count} nodes, ResNet-18 has {Visited(tensors)}");
        return tensors;
    }

    // conv-BN-ReLU-conv-BN, plus x or conv1x1-BN of x, then ReLU.
    private static string Block(OnnxGraphWalk g, string x, string key, int inChannels, (int Channels, int Stride) block, Dictionary<string, PretrainedTensor> tensors, string what)
    {
        var (channels, stride) = block;
        var conv1 = g.Next(x, "Conv", $"{what}, first convolution", n => OnnxGraphWalk.Ints(n, "kernel_shape", []) is [3, 3]);
        tensors[key + "body.0.weight"] = Tensor(Conv(g, conv1, inChannels, channels, 3, stride, $"{what}, first convolution"));
        var y = Relu(g, BatchNorm(g, conv1, key + "body.1.", channels, tensors, $"{what}, first batch norm"), what);
        var conv2 = g.Next(y, "Conv", $"{what}, second convolution");
        tensors[key + "body.3.weight"] = Tensor(Conv(g, conv2, channels, channels, 3, 1, $"{what}, second convolution"));
        var body = BatchNorm(g, conv2, key + "body.4.", channels, tensors, $"{what}, second batch norm");
        var shortcut = x;
        var projection = g.TryNext(x, "Conv", n => OnnxGraphWalk.Ints(n, "kernel_shape", []) is [1, 1]);
        if ((projection is not null) != (inChannels != channels || stride != 1))
            throw g.Mismatch($"{what}: expected {(projection is null ? "a 1x1 projection" : "an identity shortcut")} from {inChannels} to {channels} channels at stride {stride}");
        if (projection is not null)
        {
            tensors[key + "shortcut.0.weight"] = Tensor(Conv(g, projection, inChannels, channels, 1, stride, $"{what}, projection"));
            shortcut = BatchNorm(g, projection, key + "shortcut.1.", channels, tensors, $"{what}, projection batch norm");
        }
        var add = g.Next(body, "Add", $"{what}, sum");
        if (!add.Input.Contains(shortcut))
            throw g.Mismatch($"{what}: the sum does not add the shortcut '{shortcut}'");
        return Relu(g, add.Output[0], what);
    }

    private static (long[], float[]) Conv(OnnxGraphWalk g, NodeProto conv, int inChannels, int outChannels, int kernel, int stride, string what)
    {
        if (!OnnxGraphWalk.Ints(conv, "strides", [1, 1]).SequenceEqual([(long)stride, stride]) || !Pads(conv, kernel / 2)
            || conv.Attribute.Any(a => a.Name == "group" && a.I != 1)
            || OnnxGraphWalk.Ints(conv, "dilations", [1, 1]).Any(d => d != 1))
            throw g.Mismatch($"{what}: expected a {kernel}x{kernel} convolution with stride {stride} and padding {kernel / 2}");
        if (conv.Input.Count > 2)
            throw g.Mismatch($"{what}: the convolution has a bias, ResNet-18's are followed by batch norm");
        return g.Weight(conv, 1, [outChannels, inChannels, kernel, kernel], what);
    }

    // Padding before each spatial axis (ONNX pads are [h_begin, w_begin, h_end, w_end]); the end may be one less (see remarks).
    private static bool Pads(NodeProto node, int padding) =>
        OnnxGraphWalk.Ints(node, "pads", [0, 0, 0, 0]) is [var hb, var wb, var he, var we]
        && hb == padding && wb == padding && he is var h && (h == padding || h == padding - 1) && (we == padding || we == padding - 1);

    private static string BatchNorm(OnnxGraphWalk g, NodeProto input, string key, int channels, Dictionary<string, PretrainedTensor> tensors, string what)
    {
        var bn = g.Next(input.Output[0], "BatchNormalization", what);
        if (Math.Abs(OnnxGraphWalk.Float(bn, "epsilon", 1e-5f) - Epsilon) > 1e-9f)
            throw g.Mismatch($"{what}: epsilon {OnnxGraphWalk.Float(bn, "epsilon", 1e-5f)}, expected {Epsilon}");
        string[] names = ["weight", "bias", "running_mean", "running_var"]; // ONNX inputs 1-4: scale, B, mean, var
        for (var i = 0; i < names.Length; i++)
            tensors[key + names[i]] = Tensor(g.Weight(bn, i + 1, [channels], what));
        return bn.Output[0];
    }

    private static string Relu(OnnxGraphWalk g, string x, string what) => g.Next(x, "Relu", $"{what}, activation").Output[0];

    private static PretrainedTensor Tensor((long[] Shape, float[] Values) weight) => new(weight.Shape, weight.Values);

    // Nodes the walk passed: 4 per conv-BN pair counted by its weights (conv weight + 4 BN tensors = 5 tensors → 2 nodes),
    // plus one ReLU per block half and stem, one Add per block, the stem's max pool and the final pool.
    private static int Visited(Dictionary<string, PretrainedTensor> tensors) =>
        tensors.Count / 5 * 2 + (Blocks.Length * 2 + 1) + Blocks.Length + 2;

    // (out, 3, k·k) in B, G, R order → R, G, B.
    private static float[] BgrToRgb(float[] weights, int outChannels, int kernelArea)
    {
        var rgb = new float[weights.Length];
        for (var o = 0; o < outChannels; o++)
            for (var c = 0; c < 3; c++)
                Array.Copy(weights, (o * 3 + c) * kernelArea, rgb, (o * 3 + (2 - c)) * kernelArea, kernelArea);
        return rgb;
    }
}
