using System.Runtime.InteropServices;

namespace Anvil.Export.Onnx;

/// <summary>
/// Nodes in topological order and the initializers they read, built one node at a time.
/// Every value name is unique: a duplicate is a bug in the exporter and throws.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly HashSet<string> _names = [];
    private readonly Dictionary<float, string> _scalars = [];
    private readonly Dictionary<string, string> _int64Constants = [];

    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    public IReadOnlyList<OnnxTensor> Initializers => _initializers;

    /// <summary>Adds a node and returns its output name, <paramref name="output"/>.</summary>
    public string Node(string opType, string output, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        Node(opType, [output], inputs, attributes);
        return output;
    }

    /// <summary>Adds a node with several outputs (LSTM's Y and Y_h, say); the node is named after the first.</summary>
    public void Node(string opType, IReadOnlyList<string> outputs, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        foreach (var output in outputs)
            Claim(output);
        _nodes.Add(new OnnxNode(opType, inputs, outputs, attributes));
    }

    /// <summary>Adds a float32 constant tensor and returns its name.</summary>
    public string Initializer(string name, long[] dims, float[] data) =>
        Add(name, dims, data.Length, OnnxElementType.Float, MemoryMarshal.AsBytes(data.AsSpan()));

    /// <summary>Adds an int64 constant tensor and returns its name.</summary>
    public string Initializer(string name, long[] dims, long[] data) =>
        Add(name, dims, data.Length, OnnxElementType.Int64, MemoryMarshal.AsBytes(data.AsSpan()));

    /// <summary>A float32 scalar constant (broadcast by Add/Mul/Sub/Div), shared by every node that uses the same value.</summary>
    public string Scalar(float value)
    {
        if (!_scalars.TryGetValue(value, out var name))
            _scalars[value] = name = Initializer($"scalar_{_scalars.Count}", [], [value]);
        return name;
    }

    /// <summary>An int64 scalar constant, shared like <see cref="Scalar"/>.</summary>
    public string Int64Scalar(long value) => Int64Constant([], [value]);

    /// <summary>A 1-D int64 constant (axes, a shape, a perm), shared by every node that uses the same values.</summary>
    public string Int64s(params long[] values) => Int64Constant([values.Length], values);

    private string Int64Constant(long[] dims, long[] values)
    {
        var key = $"[{string.Join(",", dims)}]{string.Join(",", values)}";
        if (!_int64Constants.TryGetValue(key, out var name))
            _int64Constants[key] = name = Initializer($"int64_{_int64Constants.Count}", dims, values);
        return name;
    }

    private string Add(string name, long[] dims, int count, int elementType, ReadOnlySpan<byte> bytes)
    {
        var expected = dims.Aggregate(1L, (a, b) => checked(a * b));
        if (expected != count)
            throw new InvalidOperationException($"Initializer '{name}' has shape [{string.Join(", ", dims)}] ({expected} values) but {count} values.");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this exporter copies memory as is and needs a little-endian CPU.");
        Claim(name);
        _initializers.Add(new OnnxTensor(name, dims, elementType, bytes.ToArray()));
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
    }
}
