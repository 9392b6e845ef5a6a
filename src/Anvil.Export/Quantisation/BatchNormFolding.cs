using Onnx;

namespace Anvil.Export.Quantisation;

/// <summary>
/// Folds each BatchNormalization that reads a Conv's output (and is its only reader) into that Conv's
/// weights and bias: W' = W·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β. Quantisation
/// needs this first, so the int8 weights carry the scale the model really applies.
/// A batch norm after anything else (a standalone layer after an activation) stays a float node.
/// </summary>
internal static class BatchNormFolding
{
    public static void Fold(QuantGraph graph)
    {
        foreach (var bn in graph.Proto.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            var conv = graph.Proto.Node.FirstOrDefault(n => n.OpType == "Conv" && n.Output[0] == bn.Input[0]);
            if (conv is null || graph.Consumers(conv.Output[0]).Count != 1 || !bn.Input.Skip(1).All(graph.IsInitializer) || !graph.IsInitializer(conv.Input[1]))
                continue;
            var epsilon = QuantGraph.Float(bn, "epsilon", 1e-5f);
            var gamma = graph.Floats(bn.Input[1]).Data;
            var beta = graph.Floats(bn.Input[2]).Data;
            var mean = graph.Floats(bn.Input[3]).Data;
            var variance = graph.Floats(bn.Input[4]).Data;
            var (dims, weight) = graph.Floats(conv.Input[1]); // (C_out, C_in, k, k)
            var bias = conv.Input.Count > 2 ? graph.Floats(conv.Input[2]).Data : new float[gamma.Length];
            var perChannel = weight.Length / gamma.Length;
            var folded = new float[weight.Length];
            var foldedBias = new float[gamma.Length];
            for (var c = 0; c < gamma.Length; c++)
            {
                // In double, so the fold adds no rounding beyond float32's last bit.
                var factor = gamma[c] / Math.Sqrt(variance[c] + epsilon);
                for (var i = 0; i < perChannel; i++)
                    folded[c * perChannel + i] = (float)(weight[c * perChannel + i] * factor);
                foldedBias[c] = (float)((bias[c] - mean[c]) * factor + beta[c]);
            }
            var name = bn.Output[0];
            conv.Input[1] = graph.AddFloats(name + ".folded_weight", dims, folded);
            if (conv.Input.Count > 2)
                conv.Input[2] = graph.AddFloats(name + ".folded_bias", [gamma.Length], foldedBias);
            else
                conv.Input.Add(graph.AddFloats(name + ".folded_bias", [gamma.Length], foldedBias));
            conv.Output[0] = name;
            graph.Proto.Node.Remove(bn);
        }
        graph.RemoveUnusedInitializers();
    }
}
