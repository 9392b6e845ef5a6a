using static TorchSharp.torch;

namespace Anvil.Export;

/// <summary>
/// A model's parameters and buffers by state-dict key (e.g. <c>layers.00_conv2d.0.weight</c>), read
/// once each. <see cref="EnsureAllUsed"/> catches an exporter that drifted from the builder: a
/// weight it did not read would mean the graph computes something else than the module.
/// </summary>
internal sealed class ModelWeights
{
    // BatchNorm's step counter only matters to momentum=null training; it is not part of inference.
    private const string IgnoredSuffix = ".num_batches_tracked";

    private readonly IReadOnlyDictionary<string, Tensor> _tensors;
    private readonly HashSet<string> _used = [];

    public ModelWeights(IReadOnlyDictionary<string, Tensor> tensors) => _tensors = tensors;

    public bool Contains(string key) => _tensors.ContainsKey(key);

    /// <summary>The tensor's shape and its values in row-major order, as float32.</summary>
    public (long[] Dims, float[] Data) Take(string key)
    {
        if (!_tensors.TryGetValue(key, out var tensor))
            throw new InvalidOperationException(
                $"The model has no weight '{key}'; the exporter and ModelBuilder disagree about the module layout. Weights: {string.Join(", ", _tensors.Keys)}.");
        _used.Add(key);
        using var scope = NewDisposeScope();
        var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        return (tensor.shape, values);
    }

    public void EnsureAllUsed()
    {
        var unused = _tensors.Keys.Where(k => !_used.Contains(k) && !k.EndsWith(IgnoredSuffix, StringComparison.Ordinal)).ToList();
        if (unused.Count > 0)
            throw new InvalidOperationException($"The exported graph does not use these weights of the model: {string.Join(", ", unused)}. The exporter is out of date with ModelBuilder.");
    }
}
