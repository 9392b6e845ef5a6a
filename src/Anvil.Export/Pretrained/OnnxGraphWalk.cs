using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Anvil.Export.Pretrained;

/// <summary>
/// A parsed ONNX graph to walk from value to value: each node found by what it consumes, not by its name (exports
/// such as CNTK's name their weights <c>Parameter10</c>…). Every failure is an <see cref="InvalidDataException"/>
/// with one line that names the file and what was expected.
/// </summary>
internal sealed class OnnxGraphWalk
{
    private readonly ILookup<string, NodeProto> _consumers;
    private readonly Dictionary<string, TensorProto> _initializers;

    private OnnxGraphWalk(string source, GraphProto graph)
    {
        Source = source;
        Graph = graph;
        _consumers = graph.Node.SelectMany(n => n.Input.Select(input => (input, n))).ToLookup(p => p.input, p => p.n);
        _initializers = graph.Initializer.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
    }

    public string Source { get; }
    public GraphProto Graph { get; }

    /// <summary>Parses <paramref name="bytes"/>; a damaged or truncated file, or one without a graph, is a one-line error.</summary>
    public static OnnxGraphWalk Parse(byte[] bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{source}' is not a readable ONNX model ({e.Message.TrimEnd('.')}); the file is damaged or truncated. Restore it from its package.", e);
        }
        if (model.Graph is not { Node.Count: > 0 } graph)
            throw new InvalidDataException($"'{source}' holds no ONNX graph ({bytes.Length} bytes, no nodes); the file is damaged or not an ONNX model. Restore it from its package.");
        return new OnnxGraphWalk(source, graph);
    }

    /// <summary>The graph's one input that is not an initializer.</summary>
    public string Input()
    {
        var inputs = Graph.Input.Where(i => !_initializers.ContainsKey(i.Name)).ToList();
        return inputs.Count == 1 ? inputs[0].Name : throw Mismatch($"the graph has {inputs.Count} data inputs, expected 1 image input");
    }

    /// <summary>The one node of type <paramref name="opType"/> that reads <paramref name="value"/> (and, if given, passes <paramref name="where"/>).</summary>
    public NodeProto Next(string value, string opType, string what, Func<NodeProto, bool>? where = null) => TryNext(value, opType, where)
        ?? throw Mismatch($"{what}: expected a {opType} node reading '{value}', found {Describe(_consumers[value])}");

    /// <summary>As <see cref="Next"/>, or null when no such node reads the value.</summary>
    public NodeProto? TryNext(string value, string opType, Func<NodeProto, bool>? where = null)
    {
        var found = _consumers[value].Where(n => n.OpType == opType && (where?.Invoke(n) ?? true)).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw Mismatch($"{found.Count} {opType} nodes read '{value}', expected 1"),
        };
    }

    /// <summary>Input <paramref name="index"/> of <paramref name="node"/> as a float32 initializer of exactly <paramref name="shape"/>.</summary>
    public (long[] Shape, float[] Values) Weight(NodeProto node, int index, long[] shape, string what)
    {
        if (node.Input.Count <= index || !_initializers.TryGetValue(node.Input[index], out var tensor))
            throw Mismatch($"{what}: input {index} of {node.OpType} '{node.Name}' is not a stored weight");
        if (!tensor.Dims.SequenceEqual(shape))
            throw Mismatch($"{what}: weight '{tensor.Name}' has shape [{string.Join(", ", tensor.Dims)}], expected [{string.Join(", ", shape)}]");
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw Mismatch($"{what}: weight '{tensor.Name}' has element type {tensor.DataType}, expected float32 (1)");
        var count = shape.Aggregate(1L, (a, b) => checked(a * b));
        var values = tensor.FloatData.Count > 0 ? tensor.FloatData.ToArray()
            : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray(); // raw_data is little-endian, as is this machine
        if (values.Length != count)
            throw Mismatch($"{what}: weight '{tensor.Name}' holds {values.Length} values, its shape [{string.Join(", ", shape)}] needs {count}");
        return (shape, values);
    }

    /// <summary>An integer-list attribute, or <paramref name="fallback"/> when the node does not set it.</summary>
    public static long[] Ints(NodeProto node, string name, long[] fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? [.. attribute.Ints] : fallback;

    /// <summary>A float attribute, or <paramref name="fallback"/>.</summary>
    public static float Float(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.F : fallback;

    /// <summary>The error for a graph that is not the expected network.</summary>
    public InvalidDataException Mismatch(string what) => new($"'{Source}' is not the expected graph: {what}.");

    private static string Describe(IEnumerable<NodeProto> nodes)
    {
        var list = nodes.Select(n => n.OpType).ToList();
        return list.Count == 0 ? "nothing" : string.Join(", ", list);
    }
}
