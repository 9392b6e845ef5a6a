using Onnx;

namespace Anvil.Export.Quantisation;

/// <summary>
/// Static int8 in QDQ form: every activation that enters or leaves a Conv or Gemm passes through
/// QuantizeLinear→DequantizeLinear (uint8, asymmetric, scale and zero point from the calibration
/// set's min/max); weights are int8 per output channel behind a DequantizeLinear (axis 0) and biases
/// int32 at scale x_scale·w_scale. ONNX Runtime fuses DQ→Conv→Q into QLinearConv (and Gemm into
/// QGemm) at load time; whatever it does not fuse still computes the same values in float.
/// </summary>
/// <remarks>
/// A ReLU right after a Conv or Gemm is absorbed into the quantisation: the output's range starts at
/// 0, so its zero point is 0 and QuantizeLinear's saturation at 0 is the ReLU. A layer's output read
/// only by the final Softmax stays float, so the probabilities are not rounded to 256 levels.
/// </remarks>
internal static class StaticQuantiser
{
    public static void Quantise(QuantGraph graph, ModelProto model, CalibrationSet calibration)
    {
        var targets = graph.Proto.Node.Where(n => graph.IsConstantLinear(n) || graph.IsConstantConv(n)).ToList();
        // By reference: protobuf messages hash by value, and the rewrite below edits the nodes.
        var relus = new Dictionary<NodeProto, NodeProto>(ReferenceEqualityComparer.Instance); // target → the ReLU it absorbs
        foreach (var target in targets)
            if (graph.Consumers(target.Output[0]) is [{ OpType: "Relu" } relu] && IsQuantisedOutput(graph, relu.Output[0]))
                relus[target] = relu;
        var quantised = new HashSet<string>(targets.Select(t => t.Input[0]));
        foreach (var target in targets)
        {
            var y = relus.TryGetValue(target, out var relu) ? relu.Output[0] : target.Output[0];
            if (IsQuantisedOutput(graph, y))
                quantised.Add(y);
        }
        var ranges = ActivationRanges.Measure(model, quantised, calibration);
        var parameters = ranges.ToDictionary(r => r.Key, r => UInt8Parameters(r.Value.Min, r.Value.Max));

        var nodes = graph.Proto.Node.ToList();
        graph.Proto.Node.Clear();
        var input = graph.Proto.Input[0].Name;
        if (quantised.Contains(input))
            AddQdq(graph, input, parameters[input]);
        foreach (var node in nodes)
        {
            if (relus.Values.Any(r => ReferenceEquals(r, node)))
                continue;
            var x = node.Input[0];
            for (var i = 0; i < node.Input.Count; i++)
                if (quantised.Contains(node.Input[i]))
                    node.Input[i] += "_dq";
            if (targets.Any(t => ReferenceEquals(t, node)))
                QuantiseWeights(graph, node, parameters[x].Scale, relus.GetValueOrDefault(node));
            graph.Proto.Node.Add(node);
            foreach (var output in node.Output.Where(quantised.Contains))
                AddQdq(graph, output, parameters[output]);
        }
        graph.RemoveUnusedInitializers();
    }

    private static bool IsQuantisedOutput(QuantGraph graph, string value) =>
        !graph.IsGraphOutput(value) && graph.Consumers(value).Any(c => c.OpType != "Softmax");

    // Weight (C_out, ...) → int8 + DequantizeLinear per channel; bias → int32 at x_scale·w_scale_c.
    private static void QuantiseWeights(QuantGraph graph, NodeProto node, float xScale, NodeProto? relu)
    {
        var name = node.Output[0];
        var (dims, weight) = graph.Floats(node.Input[1]);
        var channels = (int)dims[0];
        var (values, scales) = WeightQuantisation.PerChannel(weight, channels);
        node.Input[1] = Dequantize(graph, name + ".weight",
            graph.AddInt8(name + ".weight_int8", dims, values), graph.AddFloats(name + ".weight_scale", [channels], scales),
            graph.AddInt8(name + ".weight_zero", [channels], new sbyte[channels]));
        if (node.Input.Count > 2)
        {
            var bias = graph.Floats(node.Input[2]).Data;
            var biasScales = scales.Select(s => s * xScale).ToArray();
            var quantised = bias.Select((b, c) => (int)Math.Clamp(Math.Round(b / biasScales[c]), int.MinValue, int.MaxValue)).ToArray();
            node.Input[2] = Dequantize(graph, name + ".bias",
                graph.AddInt32(name + ".bias_int32", [channels], quantised), graph.AddFloats(name + ".bias_scale", [channels], biasScales),
                graph.AddInt32(name + ".bias_zero", [channels], new int[channels]));
        }
        if (relu is not null)
            node.Output[0] = relu.Output[0];
    }

    private static string Dequantize(QuantGraph graph, string output, string values, string scale, string zero)
    {
        graph.Proto.Node.Add(QuantGraph.Node("DequantizeLinear", [values, scale, zero], [output], QuantGraph.IntAttribute("axis", 0)));
        return output;
    }

    private static void AddQdq(QuantGraph graph, string value, (float Scale, byte Zero) p)
    {
        var scale = graph.AddFloats(value + ".scale", [], [p.Scale]);
        var zero = graph.AddUInt8(value + ".zero", [], [p.Zero]);
        graph.Proto.Node.Add(QuantGraph.Node("QuantizeLinear", [value, scale, zero], [value + "_q"]));
        graph.Proto.Node.Add(QuantGraph.Node("DequantizeLinear", [value + "_q", scale, zero], [value + "_dq"]));
    }

    // uint8 over [min, max] (which includes 0): 255 steps, zero point where 0 falls.
    private static (float Scale, byte Zero) UInt8Parameters(float min, float max)
    {
        var scale = max > min ? (max - min) / 255f : 1f;
        return (scale, (byte)Math.Clamp(MathF.Round(-min / scale), 0, 255));
    }
}
