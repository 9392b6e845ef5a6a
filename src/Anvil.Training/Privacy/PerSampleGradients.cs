using Anvil.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Module = TorchSharp.torch.nn.Module;

namespace Anvil.Training.Privacy;

/// <summary>
/// Each example's gradient, clipped to a norm and summed, in one forward and one backward pass over the batch: the inputs of
/// every dense and conv2d layer are kept and the gradients of their outputs taken, and per example a dense weight's gradient
/// is gᵀa and a convolution's is g·unfold(a)ᵀ (the method of Opacus's hooks, Goodfellow 2015). Each example's norm is taken
/// without forming its gradient where that is cheaper (‖g‖·‖a‖ for a dense layer, Gram matrices for a convolution with few
/// output positions), and the clipped sum is one matrix product per layer. A model with other weighted layers (embeddings,
/// LSTM and GRU layers, 1-d and transposed convolutions, layer norm) is <see cref="Looped"/>: each example gets its own
/// forward and backward pass, exact for any layer and slower by about the batch size. Batch norm is refused: it mixes the
/// examples of a batch, so no per-example bound exists for it.
/// </summary>
/// <example>
/// <code>
/// var gradients = PerSampleGradients.For(model);                        // throws for batch norm
/// var sums = gradients.ClippedSum(images, labels, task.Loss, 1.0, out var logits, out var loss, out var norms);
/// </code>
/// </example>
public sealed class PerSampleGradients
{
    private readonly IReadOnlyList<nn.Module<Tensor, Tensor>> _modules;
    private readonly SpecModel? _loopOver; // set when a layer has no batched rule: each example gets its own pass

    private PerSampleGradients(IReadOnlyList<nn.Module<Tensor, Tensor>> modules, SpecModel? loopOver) => (_modules, _loopOver) = (modules, loopOver);

    /// <summary>True when some layer has no batched rule, so each example gets its own forward and backward pass.</summary>
    public bool Looped => _loopOver is not null;

    /// <summary>The model's layers as one sequence of modules, or the whole model looped over examples when a weighted layer has no batched rule; batch norm is refused by name.</summary>
    public static PerSampleGradients For(SpecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modules = new List<nn.Module<Tensor, Tensor>>();
        var batched = true;
        foreach (var (name, layer) in model.Layers())
            batched &= Expand(name, layer, modules);
        return batched ? new PerSampleGradients(modules, null) : new PerSampleGradients([], model);
    }

    // False when the layer has weights without a batched rule (the model is then looped over examples).
    private static bool Expand(string layerName, Module layer, List<nn.Module<Tensor, Tensor>> into)
    {
        switch (layer)
        {
            case BatchNorm1d or BatchNorm2d:
                throw BatchNormRefused(layerName);
            case Sequential sequential:
                var batched = true;
                foreach (var child in sequential.children())
                    batched &= Expand(layerName, child, into);
                return batched;
            case Conv2d { groups: not 1 } or Conv2d { padding_type: not null } or Conv2d { padding_mode: not TorchSharp.PaddingModes.Zeros }:
                return false;
            case Linear or Conv2d:
                into.Add((nn.Module<Tensor, Tensor>)layer);
                return true;
            case nn.Module<Tensor, Tensor> plain when !plain.parameters().Any():
                into.Add(plain);
                return true;
            default:
                if (layer.modules().Any(m => m is BatchNorm1d or BatchNorm2d))
                    throw BatchNormRefused(layerName);
                return false;
        }
    }

    private static ArgumentException BatchNormRefused(string layerName) => new(
        $"DP-SGD: layer {layerName} uses batch norm, which mixes the examples of a batch so no example's influence can be bounded. Set \"batch_norm\": false in the spec, or train a model without it (e.g. samples/privacy/spec.json).");

    /// <summary>
    /// Σᵢ gᵢ · min(1, C / ‖gᵢ‖) for every trainable weight, where gᵢ is example i's gradient of its own loss.
    /// </summary>
    /// <param name="inputs">(B, ...) the batch.</param>
    /// <param name="targets">(B) labels or (B, K) values.</param>
    /// <param name="meanLoss">(inputs, outputs, targets) → the mean loss over those examples, a scalar (a task's <c>Loss</c>).</param>
    /// <param name="maxNorm">C.</param>
    /// <param name="outputs">(B, K) the model's outputs, for the epoch's figures.</param>
    /// <param name="loss">The batch's mean loss.</param>
    /// <param name="norms">(B) each example's gradient norm before clipping.</param>
    /// <returns>The clipped sums, one per trainable parameter, in the order of <see cref="Parameters"/>.</returns>
    public IReadOnlyList<(Parameter Parameter, Tensor Sum)> ClippedSum(Tensor inputs, Tensor targets, Func<Tensor, Tensor, Tensor, Tensor> meanLoss, double maxNorm,
        out Tensor outputs, out float loss, out Tensor norms)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(meanLoss);
        if (_loopOver is { } model)
            return LoopedSum(model, inputs, targets, meanLoss, maxNorm, out outputs, out loss, out norms);
        var captured = new List<(nn.Module<Tensor, Tensor> Layer, Tensor Input, Tensor Output)>();
        var x = inputs;
        foreach (var module in _modules)
        {
            var y = module.call(x);
            if (module is Linear or Conv2d && Trainable(module).Any())
                captured.Add((module, x, y));
            x = y;
        }
        outputs = x;
        var batch = inputs.shape[0];
        var mean = meanLoss(inputs, outputs, targets);
        loss = mean.item<float>();
        var outputGradients = autograd.grad([mean * batch], captured.Select(c => c.Output).ToArray()); // the sum: each example's gradient is its own
        var layers = captured.Select((c, i) => c.Layer is Linear linear
            ? Dense(linear, c.Input.detach(), outputGradients[i])
            : Convolution((Conv2d)c.Layer, c.Input.detach(), outputGradients[i])).ToList();
        var squared = zeros(batch, dtype: ScalarType.Float32);
        foreach (var layer in layers)
            squared = squared + layer.NormSquared;
        norms = squared.sqrt();
        var scale = (maxNorm / (norms + 1e-6)).clamp_max(1.0); // (B)
        return layers.SelectMany(layer => layer.Sums(scale)).ToList();
    }

    /// <summary>
    /// One layer's part: each example's squared gradient norm (B), and the sums of its examples' gradients weighted by a
    /// per-example scale (B) — computed as one matrix product, without a tensor per example where the layer allows.
    /// </summary>
    private sealed record LayerGradients(Tensor NormSquared, Func<Tensor, IEnumerable<(Parameter, Tensor)>> Sums);

    /// <summary>Every trainable weight the sums cover: all of the model's.</summary>
    public IEnumerable<Parameter> Parameters => _loopOver is { } model
        ? model.parameters().Where(p => p.requires_grad)
        : _modules.Where(m => m is Linear or Conv2d).SelectMany(Trainable);

    // One forward and backward pass per example: its gradient exactly, whatever the layers, at the cost of B small passes.
    private List<(Parameter Parameter, Tensor Sum)> LoopedSum(SpecModel model, Tensor inputs, Tensor targets, Func<Tensor, Tensor, Tensor, Tensor> meanLoss,
        double maxNorm, out Tensor outputs, out float loss, out Tensor norms)
    {
        var parameters = Parameters.ToArray();
        var sums = parameters.Select(p => zeros_like(p)).ToArray();
        var batch = inputs.shape[0];
        var rows = new Tensor[batch];
        var norm = new float[batch];
        var total = 0.0;
        for (var i = 0; i < batch; i++)
        {
            using var scope = NewDisposeScope();
            var input = inputs.narrow(0, i, 1);
            var output = model.forward(input);
            var example = meanLoss(input, output, targets.narrow(0, i, 1)); // the mean over one example is its loss
            total += example.item<float>();
            var gradients = autograd.grad([example], parameters);
            norm[i] = gradients.Select(g => g.pow(2).sum()).Aggregate((a, b) => a + b).sqrt().item<float>(); // one read-back per example
            var scale = Math.Min(1.0, maxNorm / (norm[i] + 1e-6));
            using (no_grad())
            {
                for (var j = 0; j < parameters.Length; j++)
                    sums[j].add_(gradients[j], alpha: scale);
            }
            rows[i] = output.detach().MoveToOuterDisposeScope();
        }
        outputs = cat(rows);
        loss = (float)(total / batch);
        norms = tensor(norm);
        return [.. parameters.Zip(sums, (p, sum) => (p, sum))];
    }

    private static IEnumerable<Parameter> Trainable(nn.Module<Tensor, Tensor> module) => module.parameters().Where(p => p.requires_grad);

    // y = a Wᵀ + b over (B, [T,] in), g = ∂loss/∂y. Per example ∂W = Σₜ gₜᵀ aₜ and ∂b = Σₜ gₜ; with one step (T = 1)
    // ‖∂W‖² = ‖g‖²‖a‖². Weighted sums: ∂W = (s·g)ᵀ a over all examples and steps, one matrix product.
    private static LayerGradients Dense(Linear layer, Tensor input, Tensor gradient)
    {
        var batch = input.shape[0];
        var a = input.reshape(batch, -1, input.shape[^1]);            // (B, T, in)
        var g = gradient.reshape(batch, -1, gradient.shape[^1]);      // (B, T, out)
        var weight = layer.weight!.requires_grad;
        var norm = zeros(batch);
        if (weight)
            norm = norm + (a.shape[1] == 1 ? g.pow(2).sum([1, 2]) * a.pow(2).sum([1, 2]) : GhostNorm(g, a));
        if (layer.bias is { requires_grad: true })
            norm = norm + g.sum(1).pow(2).sum(1);
        return new LayerGradients(norm, scale => Sums(scale));

        IEnumerable<(Parameter, Tensor)> Sums(Tensor scale)
        {
            var weighted = (g * scale.view(batch, 1, 1)).reshape(-1, g.shape[2]); // (B·T, out)
            if (weight)
                yield return (layer.weight!, weighted.t().matmul(a.reshape(-1, a.shape[2])));
            if (layer.bias is { requires_grad: true } bias)
                yield return (bias, weighted.sum(dim: 0)); // dim: a bare 0 would convert to ScalarType.Byte and pick sum(type)
        }
    }

    // Per example ∂W = g · unfold(a)ᵀ over the L output positions and ∂b = Σ positions of g. The norm comes from the
    // per-example gradients (B, O, C·kh·kw) when they are the smaller tensor, otherwise from L×L Gram matrices (ghost
    // norm, Li et al. 2022); the weighted sum is one product over all examples and positions.
    private static LayerGradients Convolution(Conv2d layer, Tensor input, Tensor gradient)
    {
        var batch = input.shape[0];
        var (k, d, p, s) = (layer.kernel_size, layer.dilation, layer.padding!, layer.stride);
        var columns = nn.functional.unfold(input, (k[0], k[1]), (d[0], d[1]), (p[0], p[1]), (s[0], s[1])).transpose(1, 2); // (B, L, C·kh·kw)
        var g = gradient.reshape(batch, layer.out_channels, -1).transpose(1, 2);                                            // (B, L, O)
        var weight = layer.weight!.requires_grad;
        var norm = zeros(batch);
        if (weight)
        {
            var positions = g.shape[1];
            norm = norm + (positions * positions <= g.shape[2] * columns.shape[2]
                ? GhostNorm(g, columns)
                : bmm(g.transpose(1, 2), columns).pow(2).sum([1, 2]));
        }
        if (layer.bias is { requires_grad: true })
            norm = norm + g.sum(1).pow(2).sum(1);
        return new LayerGradients(norm, scale => Sums(scale));

        IEnumerable<(Parameter, Tensor)> Sums(Tensor scale)
        {
            var weighted = (g * scale.view(batch, 1, 1)).reshape(-1, g.shape[2]); // (B·L, O)
            if (weight)
                yield return (layer.weight!, weighted.t().matmul(columns.reshape(-1, columns.shape[2])).view(layer.weight!.shape));
            if (layer.bias is { requires_grad: true } bias)
                yield return (bias, weighted.sum(dim: 0));
        }
    }

    // ‖Σₜ gₜᵀ aₜ‖² per example without forming it: Σₜ,ᵤ (gₜ·gᵤ)(aₜ·aᵤ), from (B, T, T) Gram matrices.
    private static Tensor GhostNorm(Tensor g, Tensor a) => (bmm(g, g.transpose(1, 2)) * bmm(a, a.transpose(1, 2))).sum([1, 2]);
}
