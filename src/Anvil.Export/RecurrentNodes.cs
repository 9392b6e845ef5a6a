using Anvil.Export.Onnx;
using Anvil.Training.Models;

namespace Anvil.Export;

/// <summary>
/// The ONNX nodes for embedding, lstm/gru and sequence_pool (see RecurrentLayer and SequencePool),
/// with weights read by state-dict key. Sequences are (B, T, F) between layers, as in TorchSharp;
/// ONNX Runtime's LSTM/GRU only run sequence-first (layout 1 is refused), so each recurrent layer
/// transposes to (T, B, F) and back.
/// </summary>
internal sealed class RecurrentNodes(OnnxGraph graph, ModelWeights weights)
{
    // Gate blocks of the stacked weights, in ONNX's order, as indices of TorchSharp's blocks:
    // LSTM torch i,f,g,o → ONNX i,o,f,c; GRU torch r,z,n → ONNX z,r,h.
    private static readonly int[] LstmGates = [0, 3, 1, 2];
    private static readonly int[] GruGates = [1, 0, 2];

    /// <summary>(B, T) int64 ids → lengths (B) = count of non-pad ids, at least 1 (as SpecModel.SequenceLengths).</summary>
    public SequenceLengths Lengths(string ids)
    {
        var notPad = graph.Node("Not", "ids_not_pad", [graph.Node("Equal", "ids_pad", [ids, graph.Int64Scalar(InputKinds.PadId)])]);
        var counts = graph.Node("ReduceSum", "ids_count",
            [graph.Node("Cast", "ids_not_pad_int64", [notPad], OnnxAttribute.Of("to", (long)OnnxElementType.Int64)), graph.Int64s(1)],
            OnnxAttribute.Of("keepdims", 0L));
        var int64 = graph.Node("Max", "lengths", [counts, graph.Int64Scalar(1)]); // an all-pad row is one (pad) step
        return new SequenceLengths(int64, graph.Node("Cast", "lengths_int32", [int64], OnnxAttribute.Of("to", (long)OnnxElementType.Int32)));
    }

    /// <summary>nn.Embedding: Gather rows of the (V, E) weight by id → (B, T, E).</summary>
    public string Embedding(string ids, string key, string name)
    {
        var (dims, data) = weights.Take(key + "weight");
        return graph.Node("Gather", name, [graph.Initializer(key + "weight", dims, data), ids], OnnxAttribute.Of("axis", 0L));
    }

    /// <summary>RecurrentLayer: (B, T, F) → (B, T, D·H) or the last layer's final states (B, D·H).</summary>
    public string Recurrent(string x, string key, string name, LayerSpec layer, SequenceLengths? lengths)
    {
        var lstm = layer.Type == LayerTypes.Lstm;
        var directions = layer.Bidirectional == true ? 2 : 1;
        var layers = layer.NumLayers ?? 1;
        var returnSequences = layer.ReturnSequences == true;
        var sequence = graph.Node("Transpose", name + "_tbf", [x], OnnxAttribute.Of("perm", 1, 0, 2)); // (T, B, F)
        var finalStates = "";
        for (var k = 0; k < layers; k++)
        {
            var (w, r, b, hidden) = Weights(key, name, k, directions, lstm ? LstmGates : GruGates);
            List<string> inputs = [sequence, w, r, b];
            if (lengths is not null)
                inputs.Add(lengths.Int32);
            var last = k == layers - 1;
            var y = last && !returnSequences ? "" : $"{name}_{k}_y"; // "" leaves the optional output off
            finalStates = last && !returnSequences ? $"{name}_{k}_y_h" : "";
            List<OnnxAttribute> attributes = [OnnxAttribute.Of("hidden_size", hidden), OnnxAttribute.Of("direction", directions == 2 ? "bidirectional" : "forward")];
            if (!lstm)
                attributes.Add(OnnxAttribute.Of("linear_before_reset", 1L)); // torch applies the reset gate after R·h + b
            graph.Node(lstm ? "LSTM" : "GRU", finalStates == "" ? [y] : [y, finalStates], inputs, [.. attributes]);
            if (y != "")
            {
                // Y (T, D, B, H) → (T, B, D, H) → (T, B, D·H): forward then backward features, as torch concatenates.
                var tbdh = graph.Node("Transpose", $"{name}_{k}_tbdh", [y], OnnxAttribute.Of("perm", 0, 2, 1, 3));
                sequence = graph.Node("Reshape", $"{name}_{k}_out", [tbdh, graph.Int64s(0, 0, -1)]);
            }
        }
        if (returnSequences)
            return graph.Node("Transpose", name, [sequence], OnnxAttribute.Of("perm", 1, 0, 2)); // (B, T, D·H)
        // Y_h (D, B, H): each direction's state at its own end of each sequence → (B, D, H) → (B, D·H).
        var bdh = graph.Node("Transpose", name + "_bdh", [finalStates], OnnxAttribute.Of("perm", 1, 0, 2));
        return graph.Node("Reshape", name, [bdh, graph.Int64s(0, -1)]);
    }

    // W (D, G·H, I), R (D, G·H, H), B (D, 2·G·H) = [Wb, Rb] for layer k, directions forward then "_reverse".
    private (string W, string R, string B, long Hidden) Weights(string key, string name, int k, int directions, int[] gates)
    {
        List<float> w = [], r = [], b = [];
        long inputSize = 0, hidden = 0;
        for (var d = 0; d < directions; d++)
        {
            var suffix = $"_l{k}" + (d == 1 ? "_reverse" : "");
            var (wDims, wData) = weights.Take($"{key}rnn.weight_ih{suffix}"); // (G·H, I)
            var (rDims, rData) = weights.Take($"{key}rnn.weight_hh{suffix}"); // (G·H, H)
            (inputSize, hidden) = (wDims[1], rDims[1]);
            w.AddRange(Reorder(wData, gates, hidden * inputSize));
            r.AddRange(Reorder(rData, gates, hidden * hidden));
            b.AddRange(Reorder(weights.Take($"{key}rnn.bias_ih{suffix}").Data, gates, hidden));
            b.AddRange(Reorder(weights.Take($"{key}rnn.bias_hh{suffix}").Data, gates, hidden));
        }
        long rows = gates.Length * hidden;
        return (graph.Initializer($"{name}_{k}_W", [directions, rows, inputSize], [.. w]),
            graph.Initializer($"{name}_{k}_R", [directions, rows, hidden], [.. r]),
            graph.Initializer($"{name}_{k}_B", [directions, 2 * rows], [.. b]),
            hidden);
    }

    // The gate blocks (each blockSize values, row-major) of a stacked weight or bias, in ONNX's order.
    private static IEnumerable<float> Reorder(float[] data, int[] gates, long blockSize) =>
        gates.SelectMany(g => data.Skip((int)(g * blockSize)).Take((int)blockSize));

    /// <summary>SequencePool: (B, T, F) → (B, F) over each sequence's valid steps; all steps when lengths is null.</summary>
    public string Pool(string x, string pooling, long features, string name, SequenceLengths? lengths)
    {
        if (lengths is null)
        {
            return pooling switch
            {
                "last" => graph.Node("Gather", name, [x, graph.Int64Scalar(-1)], OnnxAttribute.Of("axis", 1L)),
                "mean" => graph.Node("ReduceMean", name, [x], OnnxAttribute.Of("axes", [1L]), OnnxAttribute.Of("keepdims", 0L)),
                _ => graph.Node("ReduceMax", name, [x], OnnxAttribute.Of("axes", [1L]), OnnxAttribute.Of("keepdims", 0L)),
            };
        }
        switch (pooling)
        {
            case "last":
                // index (B, 1, F) holding length − 1 → GatherElements along T → (B, 1, F) → (B, F).
                var index = graph.Node("Reshape", name + "_index", [graph.Node("Sub", name + "_last", [lengths.Int64, graph.Int64Scalar(1)]), graph.Int64s(-1, 1, 1)]);
                var expanded = graph.Node("Expand", name + "_indices", [index, graph.Int64s(1, 1, features)]);
                return graph.Node("Flatten", name, [graph.Node("GatherElements", name + "_step", [x, expanded], OnnxAttribute.Of("axis", 1L))], OnnxAttribute.Of("axis", 1L));
            case "mean":
                var weightsPerStep = graph.Node("Unsqueeze", name + "_mask3", [graph.Node("Cast", name + "_maskf", [ValidSteps(x, name, lengths)], OnnxAttribute.Of("to", (long)OnnxElementType.Float)), graph.Int64s(2)]);
                var sum = graph.Node("ReduceSum", name + "_sum", [graph.Node("Mul", name + "_masked", [x, weightsPerStep]), graph.Int64s(1)], OnnxAttribute.Of("keepdims", 0L));
                var count = graph.Node("Unsqueeze", name + "_count", [graph.Node("Cast", name + "_lengthsf", [lengths.Int64], OnnxAttribute.Of("to", (long)OnnxElementType.Float)), graph.Int64s(1)]);
                return graph.Node("Div", name, [sum, count]); // (B, F) / (B, 1)
            default:
                var valid = graph.Node("Unsqueeze", name + "_mask3", [ValidSteps(x, name, lengths), graph.Int64s(2)]);
                var masked = graph.Node("Where", name + "_masked", [valid, x, graph.Scalar(float.NegativeInfinity)]);
                return graph.Node("ReduceMax", name, [masked], OnnxAttribute.Of("axes", [1L]), OnnxAttribute.Of("keepdims", 0L));
        }
    }

    // (B, T) bool: step t of sequence b is valid when t < length[b]; T read from x at run time.
    private string ValidSteps(string x, string name, SequenceLengths lengths)
    {
        var steps = graph.Node("Gather", name + "_steps", [graph.Node("Shape", name + "_shape", [x]), graph.Int64Scalar(1)], OnnxAttribute.Of("axis", 0L));
        var positions = graph.Node("Range", name + "_positions", [graph.Int64Scalar(0), steps, graph.Int64Scalar(1)]); // (T)
        return graph.Node("Less", name + "_valid",
            [graph.Node("Unsqueeze", name + "_positions_1t", [positions, graph.Int64s(0)]), graph.Node("Unsqueeze", name + "_lengths_b1", [lengths.Int64, graph.Int64s(1)])]);
    }
}
