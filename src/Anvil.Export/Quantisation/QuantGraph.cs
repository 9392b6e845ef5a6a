using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Anvil.Export.Quantisation;

/// <summary>
/// An exported ONNX graph opened for rewriting: initializers by name, typed constants to add, and
/// the consumers of a value. Names of new values are derived from the ones they replace, so they stay unique.
/// </summary>
internal sealed class QuantGraph(GraphProto graph)
{
    private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(t => t.Name);

    public GraphProto Proto => graph;

    public bool IsInitializer(string name) => _initializers.ContainsKey(name);

    /// <summary>A float32 initializer's shape and values (raw_data as the exporter writes it, or float_data).</summary>
    public (long[] Dims, float[] Data) Floats(string name)
    {
        var tensor = _initializers[name];
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidOperationException($"Initializer '{name}' is not float32 (data type {tensor.DataType}).");
        var data = tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
        return ([.. tensor.Dims], data);
    }

    public string AddFloats(string name, long[] dims, float[] data) => Add(name, dims, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(data.AsSpan()));

    public string AddInt8(string name, long[] dims, sbyte[] data) => Add(name, dims, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(data.AsSpan()));

    public string AddUInt8(string name, long[] dims, byte[] data) => Add(name, dims, TensorProto.Types.DataType.Uint8, data);

    public string AddInt32(string name, long[] dims, int[] data) => Add(name, dims, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(data.AsSpan()));

    /// <summary>Drops initializers no node reads any more (weights replaced by their int8 form, folded batch norms).</summary>
    public void RemoveUnusedInitializers()
    {
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (var unused in graph.Initializer.Where(t => !read.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
            _initializers.Remove(unused.Name);
        }
    }

    /// <summary>The exporter's Linear: Y = X·Wᵀ + b with W (out, in) and b (out) constant, alpha = beta = 1.</summary>
    public bool IsConstantLinear(NodeProto node) =>
        node.OpType == "Gemm" && Int(node, "transB", 0) == 1 && Int(node, "transA", 0) == 0
        && Float(node, "alpha", 1) == 1 && Float(node, "beta", 1) == 1
        && node.Input.Count == 3 && IsInitializer(node.Input[1]) && IsInitializer(node.Input[2]);

    /// <summary>A Conv whose weight (and bias, when it has one) are constants.</summary>
    public bool IsConstantConv(NodeProto node) =>
        node.OpType == "Conv" && IsInitializer(node.Input[1]) && (node.Input.Count < 3 || IsInitializer(node.Input[2]));

    public List<NodeProto> Consumers(string value) => [.. graph.Node.Where(n => n.Input.Contains(value))];

    public bool IsGraphOutput(string value) => graph.Output.Any(o => o.Name == value);

    public static long Int(NodeProto node, string attribute, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == attribute) is { } a ? a.I : fallback;

    public static float Float(NodeProto node, string attribute, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == attribute) is { } a ? a.F : fallback;

    public static NodeProto Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    private string Add(string name, long[] dims, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes)
    {
        if (_initializers.ContainsKey(name))
            throw new InvalidOperationException($"The graph already has an initializer named '{name}'.");
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) }; // little-endian, as the exporter writes
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        _initializers[name] = tensor;
        return name;
    }
}
