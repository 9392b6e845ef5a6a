using Anvil.Export.Onnx;

namespace Anvil.Export;

/// <summary>
/// The ONNX nodes for the TorchSharp modules ModelBuilder uses, with weights read by state-dict key.
/// Every method takes the input value name and returns the output value name.
/// </summary>
/// <remarks>
/// BatchNorm stays a BatchNormalization node rather than being folded into the preceding conv's
/// weights here: the file then holds exactly the trained tensors (easy to check against the
/// checkpoint), and ONNX Runtime performs the same Conv+BN fusion itself when it loads the graph.
/// </remarks>
internal sealed class LayerNodes(OnnxGraph graph, ModelWeights weights)
{
    // TorchSharp's BatchNorm1d/2d default, which ModelBuilder and ResidualBlock keep.
    private const float BatchNormEpsilon = 1e-5f;

    // GELU in TorchSharp is the exact form x·½·(1 + erf(x/√2)); opset 17 has Erf but no Gelu.
    private const float InverseSqrt2 = 0.70710678118654752f;

    /// <summary>Conv2d (NCHW, square kernel read from the weight's shape); bias only when the module has one.</summary>
    public string Conv(string x, string key, string output, int stride, int padding) => Convolution("Conv", x, key, output, stride, padding);

    private string Convolution(string opType, string x, string key, string output, int stride, int padding)
    {
        var (dims, data) = weights.Take(key + "weight"); // Conv (out, in, k, k); ConvTranspose (in, out, k, k)
        var kernel = dims[2];
        List<string> inputs = [x, graph.Initializer(key + "weight", dims, data)];
        if (weights.Contains(key + "bias"))
            inputs.Add(Weight(key + "bias"));
        return graph.Node(opType, output, inputs,
            OnnxAttribute.Of("kernel_shape", kernel, kernel),
            OnnxAttribute.Of("strides", stride, stride),
            OnnxAttribute.Of("pads", padding, padding, padding, padding));
    }

    /// <summary>ConvTranspose2d (NCHW, square kernel read from the weight's shape (in, out, k, k)); bias only when the module has one.</summary>
    public string ConvTranspose(string x, string key, string output, int stride, int padding) => Convolution("ConvTranspose", x, key, output, stride, padding);

    /// <summary>BatchNorm1d or 2d in eval mode: running statistics, channel axis 1.</summary>
    public string BatchNorm(string x, string key, string output) =>
        graph.Node("BatchNormalization", output,
            [x, Weight(key + "weight"), Weight(key + "bias"), Weight(key + "running_mean"), Weight(key + "running_var")],
            OnnxAttribute.Of("epsilon", BatchNormEpsilon));

    /// <summary>Linear: x·Wᵀ + b with W stored (out, in) as TorchSharp keeps it.</summary>
    public string Linear(string x, string key, string output) =>
        graph.Node("Gemm", output, [x, Weight(key + "weight"), Weight(key + "bias")], OnnxAttribute.Of("transB", 1L));

    /// <summary>MaxPool2d (padding on each side: padded cells never win) or AvgPool2d (never padded, so count_include_pad does not matter).</summary>
    public string Pool(string opType, string x, string output, int size, int stride, int padding = 0) =>
        graph.Node(opType, output, [x], OnnxAttribute.Of("kernel_shape", size, size), OnnxAttribute.Of("strides", stride, stride),
            OnnxAttribute.Of("pads", padding, padding, padding, padding));

    /// <summary>(B, ...) → (B, product of the rest), row-major like torch.flatten(1), so NCHW order is kept.</summary>
    public string Flatten(string x, string output) => graph.Node("Flatten", output, [x], OnnxAttribute.Of("axis", 1L));

    public string Relu(string x, string output) => graph.Node("Relu", output, [x]);

    /// <summary>Activations <see cref="Activation"/> accepts.</summary>
    public static IReadOnlyList<string> Activations { get; } = ["relu", "leaky_relu", "tanh", "sigmoid", "gelu", "linear", "softmax"];

    /// <summary>
    /// The activation <paramref name="name"/>, or <paramref name="x"/> itself for "linear" and for
    /// "softmax" (ModelBuilder builds both as identity: the model returns logits, softmax is added once at the end).
    /// </summary>
    public string Activation(string x, string name, string output) => name switch
    {
        "relu" => Relu(x, output),
        "leaky_relu" => graph.Node("LeakyRelu", output, [x], OnnxAttribute.Of("alpha", (float)Anvil.Training.Models.LayerTypes.LeakyReluSlope)),
        "tanh" => graph.Node("Tanh", output, [x]),
        "sigmoid" => graph.Node("Sigmoid", output, [x]),
        "gelu" => Gelu(x, output),
        "linear" or "softmax" => x,
        _ => throw new InvalidOperationException($"Activation '{name}' is not one of {string.Join(", ", Activations)}; check it before calling."),
    };

    public string Add(string a, string b, string output) => graph.Node("Add", output, [a, b]);

    private string Gelu(string x, string output)
    {
        var erf = graph.Node("Erf", output + "_erf", [graph.Node("Mul", output + "_scaled", [x, graph.Scalar(InverseSqrt2)])]);
        var onePlusErf = graph.Node("Add", output + "_1p", [erf, graph.Scalar(1f)]);
        var half = graph.Node("Mul", output + "_half", [x, graph.Scalar(0.5f)]);
        return graph.Node("Mul", output, [half, onePlusErf]);
    }

    private string Weight(string key)
    {
        var (dims, data) = weights.Take(key);
        return graph.Initializer(key, dims, data);
    }
}
