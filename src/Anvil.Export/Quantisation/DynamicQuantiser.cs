using Onnx;

namespace Anvil.Export.Quantisation;

/// <summary>
/// Dynamic int8: weights int8 per output channel, stored in the file; each input activation is
/// quantised at run time (DynamicQuantizeLinear: uint8 with a scale and zero point from the batch's
/// own min/max), multiplied in integers (MatMulInteger, ConvInteger), and rescaled to float by
/// x_scale·w_scale per output channel before the float bias. Needs no calibration data.
/// Docs/decisions/0009-int8.md says why this form and what ONNX Runtime fuses it into.
/// </summary>
internal static class DynamicQuantiser
{
    public static void Quantise(QuantGraph graph)
    {
        var nodes = graph.Proto.Node.ToList();
        graph.Proto.Node.Clear();
        foreach (var node in nodes)
        {
            if (graph.IsConstantLinear(node))
                Gemm(graph, node);
            else if (graph.IsConstantConv(node))
                Conv(graph, node);
            else
                graph.Proto.Node.Add(node);
        }
        graph.RemoveUnusedInitializers();
    }

    private static void Gemm(QuantGraph graph, NodeProto gemm)
    {
        var y = gemm.Output[0];
        var (dims, weight) = graph.Floats(gemm.Input[1]); // (out, in)
        int outputs = (int)dims[0], inputs = (int)dims[1];
        var (values, scales) = WeightQuantisation.PerChannel(weight, outputs);
        var transposed = new sbyte[values.Length]; // MatMulInteger wants B as (in, out)
        for (var o = 0; o < outputs; o++)
            for (var i = 0; i < inputs; i++)
                transposed[i * outputs + o] = values[o * inputs + i];
        var w = graph.AddInt8(y + ".weight_int8", [inputs, outputs], transposed);
        var wZero = graph.AddInt8(y + ".weight_zero", [outputs], new sbyte[outputs]);
        var (xq, xScale, xZero) = QuantiseInput(graph, gemm.Input[0], y);
        Add("MatMulInteger", [xq, w, xZero, wZero], y + "_int32"); // (B, out) int32
        Rescale(graph, y, y + "_int32", xScale, graph.AddFloats(y + ".weight_scale", [outputs], scales), gemm.Input[2]);

        void Add(string op, string[] inputs, string output) => graph.Proto.Node.Add(QuantGraph.Node(op, inputs, [output]));
    }

    // ConvInteger runs uint8 × uint8 in ONNX Runtime's CPU kernel, so the symmetric int8 weights are
    // stored offset by 128 with zero point 128: the same 255 levels, the same products.
    private static void Conv(QuantGraph graph, NodeProto conv)
    {
        var y = conv.Output[0];
        var (dims, weight) = graph.Floats(conv.Input[1]); // (C_out, C_in, k, k)
        var channels = (int)dims[0];
        var (values, scales) = WeightQuantisation.PerChannel(weight, channels);
        var w = graph.AddUInt8(y + ".weight_uint8", dims, [.. values.Select(v => (byte)(v + 128))]);
        var wZero = graph.AddUInt8(y + ".weight_zero", [], [128]);
        var (xq, xScale, xZero) = QuantiseInput(graph, conv.Input[0], y);
        var integer = QuantGraph.Node("ConvInteger", [xq, w, xZero, wZero], [y + "_int32"]); // (B, C_out, H', W') int32
        integer.Attribute.AddRange(conv.Attribute);
        graph.Proto.Node.Add(integer);
        var bias = conv.Input.Count > 2 ? Reshaped(graph, conv.Input[2], y + ".bias_channels", channels) : null;
        Rescale(graph, y, y + "_int32", xScale, graph.AddFloats(y + ".weight_scale", [channels, 1, 1], scales), bias);
    }

    private static string Reshaped(QuantGraph graph, string bias, string name, int channels) =>
        graph.AddFloats(name, [channels, 1, 1], graph.Floats(bias).Data);

    private static (string Values, string Scale, string Zero) QuantiseInput(QuantGraph graph, string x, string prefix)
    {
        string[] outputs = [prefix + "_x_uint8", prefix + "_x_scale", prefix + "_x_zero"];
        graph.Proto.Node.Add(QuantGraph.Node("DynamicQuantizeLinear", [x], outputs));
        return (outputs[0], outputs[1], outputs[2]);
    }

    // y = float(int32) · (x_scale · w_scale) [+ b]: the order ONNX Runtime's MatMulIntegerToFloat fusion matches.
    private static void Rescale(QuantGraph graph, string y, string integer, string xScale, string wScale, string? bias)
    {
        var node = graph.Proto.Node;
        node.Add(QuantGraph.Node("Cast", [integer], [y + "_float"], QuantGraph.IntAttribute("to", (long)TensorProto.Types.DataType.Float)));
        node.Add(QuantGraph.Node("Mul", [xScale, wScale], [y + "_scale"]));
        if (bias is null)
        {
            node.Add(QuantGraph.Node("Mul", [y + "_float", y + "_scale"], [y]));
            return;
        }
        node.Add(QuantGraph.Node("Mul", [y + "_float", y + "_scale"], [y + "_unbiased"]));
        node.Add(QuantGraph.Node("Add", [y + "_unbiased", bias], [y]));
    }
}
