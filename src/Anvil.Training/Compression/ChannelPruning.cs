using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Compression;

/// <summary>
/// Structured channel pruning (Li et al. 2017, "Pruning Filters for Efficient ConvNets"): each prunable conv2d
/// keeps the filters with the largest L1 norm, and each hidden dense layer the units with the largest L1 norm of
/// their weights. A conv with batch norm is ranked by its filters as batch norm scales them (W·|γ|/√(σ²+ε), the
/// weights the exported graph runs once batch norm is folded). The spec is rewritten with the smaller widths and the
/// weights sliced, so the model really has fewer multiply-adds, parameters and bytes; the next layer's inputs are
/// sliced to match (through pooling, dropout, activation, flatten and global pooling).
/// A layer is prunable when the next layer that reads its channels is a conv2d or dense layer; a layer feeding a
/// residual block, batch-norm layer or recurrent layer keeps its width, and so does the classifier head.
/// A conv whose width is a multiple of 16 keeps a multiple of 16 (at least 16): libtorch computes the gradient through
/// other widths wrongly on some CPUs (<see cref="ConvolutionGradientCheck"/>, decision 0004), and SIMD kernels run
/// such widths fastest.
/// </summary>
/// <example>
/// <code>var pruned = ChannelPruning.Prune(model, fraction: 0.5); // half the filters of every prunable layer</code>
/// </example>
public static class ChannelPruning
{
    /// <summary>What pruning did to one layer.</summary>
    public sealed record LayerChange(int Index, string Type, int Before, int After);

    /// <summary>The pruned model (the caller disposes it) and each pruned layer's width before and after.</summary>
    public sealed record Result(SpecModel Model, IReadOnlyList<LayerChange> Changes);

    /// <summary>Removes <paramref name="fraction"/> of the channels of every prunable layer (at least one stays).</summary>
    /// <exception cref="ArgumentException">The fraction is outside (0, 1), or the model has no prunable layer.</exception>
    public static Result Prune(SpecModel source, double fraction)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(fraction is > 0 and < 1))
            throw new ArgumentException($"The pruning fraction must be in (0, 1), e.g. 0.5 removes half the channels of each prunable layer; got {fraction}.", nameof(fraction));
        var spec = source.Spec;
        var keep = new Dictionary<int, Tensor>(); // layer index → sorted indices of the output channels it keeps
        try
        {
            var (layers, changes) = Plan(source, fraction, keep);
            var pruned = ModelBuilder.Build(spec with { Layers = layers });
            using (NewDisposeScope())
                CopySliced(source, pruned, keep);
            return new Result(pruned, changes);
        }
        finally
        {
            foreach (var indices in keep.Values)
                indices.Dispose();
        }
    }

    /// <summary>The narrower layers, what changed, and (into <paramref name="keep"/>) the channels each pruned layer keeps.</summary>
    private static (List<LayerSpec> Layers, List<LayerChange> Changes) Plan(SpecModel source, double fraction, Dictionary<int, Tensor> keep)
    {
        var spec = source.Spec;
        var modules = ByIndex(source);
        var head = ModelBuilder.LastIndexOf(spec.Layers, LayerTypes.Dense);
        var changes = new List<LayerChange>();
        var layers = spec.Layers.ToList();
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var width = layer.Type switch
            {
                LayerTypes.Conv2d => layer.Filters,
                LayerTypes.Dense when i != head => layer.Units,
                _ => null,
            };
            if (width is not int before || before < 2 || !NextReaderSlices(layers, i))
                continue;
            var after = Math.Max(1, (int)Math.Round(before * (1 - fraction)));
            if (layer.Type == LayerTypes.Conv2d && before % 16 == 0)
                after = Math.Max(16, (int)Math.Round(after / 16.0) * 16);
            if (after == before)
                continue;
            using (NewDisposeScope())
                keep[i] = Importance(modules[i].Layer).topk(after).indexes.sort().Values.MoveToOuterDisposeScope();
            layers[i] = layer.Type == LayerTypes.Conv2d ? layer with { Filters = after } : layer with { Units = after };
            changes.Add(new LayerChange(i, layer.Type, before, after));
        }
        if (changes.Count == 0)
            throw new ArgumentException($"Model '{spec.Name}' has no layer channel pruning can narrow: it prunes conv2d layers and hidden dense layers whose output the next conv2d or dense layer reads (not a residual block, batch-norm or recurrent layer, and not the classifier head).");
        return (layers, changes);
    }

    /// <summary>Each layer module by its index in the spec (layers without weights, such as flatten, may have none).</summary>
    private static Dictionary<int, (string Name, TorchSharp.torch.nn.Module Layer)> ByIndex(SpecModel model) =>
        model.Layers().ToDictionary(l => int.Parse(l.Name[..l.Name.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), l => l);

    /// <summary>Per output channel: the L1 norm of its weights, scaled as batch norm scales them.</summary>
    private static Tensor Importance(TorchSharp.torch.nn.Module layer)
    {
        var weight = layer.modules().OfType<TorchSharp.Modules.Conv2d>().Select(c => c.weight).FirstOrDefault()
            ?? layer.modules().OfType<TorchSharp.Modules.Linear>().Select(l => l.weight).First();
        using var noGrad = no_grad();
        var l1 = weight!.abs().flatten(1).sum(1); // (C_out)
        if (layer.modules().OfType<TorchSharp.Modules.BatchNorm2d>().FirstOrDefault() is { } norm)
            l1 = l1 * norm.weight!.abs() / (norm.running_var! + norm.eps).sqrt();
        return l1;
    }

    /// <summary>True when the next layer that reads layer <paramref name="index"/>'s channels is a conv2d or dense layer.</summary>
    private static bool NextReaderSlices(List<LayerSpec> layers, int index)
    {
        for (var j = index + 1; j < layers.Count; j++)
        {
            switch (layers[j].Type)
            {
                case LayerTypes.Conv2d or LayerTypes.Dense:
                    return true;
                case LayerTypes.MaxPool2d or LayerTypes.AvgPool2d or LayerTypes.Dropout or LayerTypes.Activation or LayerTypes.Flatten or LayerTypes.GlobalAvgPool:
                    continue;
                default:
                    return false;
            }
        }
        return false;
    }

    /// <summary>
    /// Copies every layer's weights into <paramref name="target"/>: a pruned layer's output rows (and its bias and batch-norm
    /// vectors) at its kept channels, a reader's input columns at the features those channels became.
    /// </summary>
    private static void CopySliced(SpecModel source, SpecModel target, IReadOnlyDictionary<int, Tensor> keep)
    {
        var spec = source.Spec;
        var shapes = ModelBuilder.LayerShapes(spec);
        var targets = target.Layers().ToDictionary(l => l.Name, l => l.Layer);
        var byIndex = ByIndex(source);
        Tensor? features = null; // which of the current activation's features (channels, or flattened C·H·W) survive; null: all
        using var noGrad = no_grad();
        for (var index = 0; index < spec.Layers.Count; index++)
        {
            var type = spec.Layers[index].Type;
            if (type == LayerTypes.Flatten && features is not null)
            {
                var input = shapes[index].Input; // [C, H, W]
                var area = input.Skip(1).Aggregate(1L, (a, b) => a * b);
                features = (features.unsqueeze(1) * area + arange(area).unsqueeze(0)).flatten(); // feature c·H·W + s of each kept channel c
            }
            if (!byIndex.TryGetValue(index, out var layer))
                continue;
            var outputs = keep.GetValueOrDefault(index);
            var into = targets[layer.Name].state_dict();
            foreach (var (name, tensor) in layer.Layer.state_dict())
            {
                var value = tensor;
                if (outputs is not null && value.dim() >= 1)
                    value = value.index_select(0, outputs);
                if (features is not null && value.dim() >= 2 && type is LayerTypes.Conv2d or LayerTypes.Dense)
                    value = value.index_select(1, features);
                into[name].copy_(value);
            }
            if (type is LayerTypes.Conv2d or LayerTypes.Dense)
                features = outputs;
        }
    }
}
