namespace Anvil.Export.Onnx;

/// <summary>
/// Nodes in topological order and the float32 initializers they read, built one node at a time.
/// Every value name is unique: a duplicate is a bug in the exporter and throws.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly HashSet<string> _names = [];
    private readonly Dictionary<float, string> _scalars = [];

    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    public IReadOnlyList<OnnxTensor> Initializers => _initializers;

    /// <summary>Adds a node and returns its output name, <paramref name="output"/>.</summary>
    public string Node(string opType, string output, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        Claim(output);
        _nodes.Add(new OnnxNode(opType, inputs, output, attributes));
        return output;
    }

    /// <summary>Adds a constant tensor and returns its name.</summary>
    public string Initializer(string name, long[] dims, float[] data)
    {
        var count = dims.Aggregate(1L, (a, b) => checked(a * b));
        if (count != data.Length)
            throw new InvalidOperationException($"Initializer '{name}' has shape [{string.Join(", ", dims)}] ({count} values) but {data.Length} values.");
        Claim(name);
        _initializers.Add(new OnnxTensor(name, dims, data));
        return name;
    }

    /// <summary>A scalar constant (broadcast by Add/Mul/Sub/Div), shared by every node that uses the same value.</summary>
    public string Scalar(float value)
    {
        if (!_scalars.TryGetValue(value, out var name))
            _scalars[value] = name = Initializer($"scalar_{_scalars.Count}", [], [value]);
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
    }
}
