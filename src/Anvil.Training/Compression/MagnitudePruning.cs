using Anvil.Training.Models;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Compression;

/// <summary>
/// Global magnitude pruning (Han et al. 2015, "Learning both Weights and Connections"): <see cref="Apply"/> sets the
/// given fraction of all conv2d and dense weights with the smallest magnitude, ranked across layers at once, to zero
/// (biases and batch norm stay). As a training callback it keeps every weight that is zero when training begins (after
/// a checkpoint is restored, so a resumed fine-tuning keeps the same zeros) at zero after each batch: fine-tuning
/// cannot regrow them. The graph keeps its shape, so the zeros shrink a compressed download, not ONNX Runtime's dense
/// kernels; for speed, <see cref="ChannelPruning"/> removes whole channels.
/// </summary>
/// <example>
/// <code>
/// MagnitudePruning.Apply(model, fraction: 0.8);
/// using var keepZero = new MagnitudePruning();
/// new Trainer(model, recipe, [keepZero]).Fit(train);
/// </code>
/// </example>
public sealed class MagnitudePruning : Callback, IDisposable
{
    private List<(Tensor Weight, Tensor Mask)> _masks = [];

    /// <summary>Sets the smallest <paramref name="fraction"/> of <paramref name="model"/>'s conv2d and dense weights to zero.</summary>
    /// <exception cref="ArgumentException">The fraction is outside (0, 1), or the model has no conv2d or dense weights.</exception>
    public static void Apply(SpecModel model, double fraction)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(fraction is > 0 and < 1))
            throw new ArgumentException($"The pruning fraction must be in (0, 1), e.g. 0.8 sets the smallest 80% of the weights to zero; got {fraction}.", nameof(fraction));
        var weights = Weights(model);
        if (weights.Count == 0)
            throw new ArgumentException($"Model '{model.Spec.Name}' has no conv2d or dense weights for magnitude pruning to set to zero.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var magnitudes = cat(weights.Select(w => w.abs().flatten()).ToList(), 0);
        var k = Math.Max(1, (long)Math.Round(fraction * magnitudes.shape[0]));
        var (kth, _) = magnitudes.kthvalue(k, 0);
        var threshold = kth.item<float>();
        foreach (var weight in weights)
            weight.mul_(weight.abs().gt(threshold));
    }

    /// <summary>The share of <paramref name="model"/>'s conv2d and dense weights that are exactly zero.</summary>
    public static double Sparsity(SpecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weights = Weights(model);
        var total = weights.Sum(w => w.numel());
        return total == 0 ? 0 : (double)weights.Sum(w => w.eq(0).sum().item<long>()) / total;
    }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Dispose();
        using var noGrad = no_grad();
        _masks = [.. Weights(context.Model).Select(w => (w, w.ne(0).to(w.dtype)))];
    }

    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, int batch, double loss)
    {
        using var noGrad = no_grad();
        foreach (var (weight, mask) in _masks)
            weight.mul_(mask);
    }

    // Every Conv2d and Linear module's weight: the spec's conv2d and dense layers, and those inside residual blocks.
    private static List<Tensor> Weights(SpecModel model) =>
        [.. model.modules().Select(m => m switch
        {
            TorchSharp.Modules.Conv2d conv => conv.weight,
            TorchSharp.Modules.Linear linear => linear.weight,
            _ => null,
        }).OfType<Tensor>()];

    public void Dispose()
    {
        foreach (var (_, mask) in _masks)
            mask.Dispose();
        _masks = [];
    }
}
