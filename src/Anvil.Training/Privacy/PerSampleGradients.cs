using Anvil.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Module = TorchSharp.torch.nn.Module;

namespace Anvil.Training.Privacy;

/// <summary>
/// Each example's gradient, clipped to a norm and summed, in one forward and one backward pass over the batch (the method
/// of Opacus's hooks, Goodfellow 2015): the inputs of every weighted layer are kept and the gradients of their outputs
/// taken. Per example a dense weight's gradient is gᵀa, a convolution's g·unfold(a)ᵀ, an embedding's the rows of g summed
/// by token id, and an LSTM's or GRU's Σₜ gₜaₜᵀ over the matrix products of its recurrence run step by step with the
/// same weights (<see cref="UnrolledRecurrence"/>). Each example's norm is taken without forming its gradient where that
/// is cheaper, and the clipped sum is one matrix product or scatter per weight. A model with other weighted layers (1-d
/// and transposed convolutions, layer norm, residual blocks) is <see cref="Looped"/>: each example gets its own forward
/// and backward pass, exact for any layer and slower by about the batch size. Batch norm is refused: it mixes the
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
    /// <summary>Set to 1 to loop over examples even where batched rules exist: for comparing the two (bench/privacy-text.sh).</summary>
    internal const string LoopVariable = "ANVIL_DP_LOOP";

    internal static bool LoopForced => Environment.GetEnvironmentVariable(LoopVariable) == "1";

    private readonly IReadOnlyList<Module> _modules;
    private readonly SpecModel _model;
    private readonly bool _looped; // a layer has no batched rule: each example gets its own pass

    private PerSampleGradients(SpecModel model, IReadOnlyList<Module> modules, bool looped) => (_model, _modules, _looped) = (model, modules, looped);

    /// <summary>True when some layer has no batched rule, so each example gets its own forward and backward pass.</summary>
    public bool Looped => _looped;

    /// <summary>The model's layers as one sequence of modules, or the whole model looped over examples when a weighted layer has no batched rule; batch norm is refused by name.</summary>
    /// <param name="model">The model to train.</param>
    /// <param name="loop">Loop over examples even where every layer has a batched rule (for comparing the two); also set by <c>ANVIL_DP_LOOP=1</c>.</param>
    public static PerSampleGradients For(SpecModel model, bool loop = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modules = new List<Module>();
        var batched = true;
        foreach (var (name, layer) in model.Layers())
            batched &= Expand(name, layer, modules);
        loop |= LoopForced;
        return new PerSampleGradients(model, modules, !batched || loop);
    }

    // False when the layer has weights without a batched rule (the model is then looped over examples).
    private static bool Expand(string layerName, Module layer, List<Module> into)
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
            case Linear or Conv2d or Embedding or RecurrentLayer:
                into.Add(layer);
                return true;
            case nn.Module<Tensor, Tensor> or nn.Module<Tensor, Tensor?, Tensor> when !layer.parameters().Any():
                into.Add(layer);
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
        if (_looped)
            return LoopedSum(_model, inputs, targets, meanLoss, maxNorm, out outputs, out loss, out norms);
        var captured = Forward(inputs, out outputs);
        var batch = inputs.shape[0];
        var mean = meanLoss(inputs, outputs, targets);
        loss = mean.item<float>();
        var all = autograd.grad([mean * batch], captured.SelectMany(c => c.Outputs).ToArray()); // the sum: each example's gradient is its own
        var layers = new List<LayerGradients>();
        var taken = 0;
        foreach (var c in captured)
        {
            layers.Add(c.Rule(all.Skip(taken).Take(c.Outputs.Length).ToArray()));
            taken += c.Outputs.Length;
        }
        var squared = zeros(batch, dtype: ScalarType.Float32);
        foreach (var layer in layers)
            squared = squared + layer.NormSquared;
        norms = squared.sqrt();
        var scale = (maxNorm / (norms + 1e-6)).clamp_max(1.0); // (B)
        var sums = layers.SelectMany(layer => layer.Sums(scale)).ToDictionary<(Parameter, Tensor), Parameter, Tensor>(s => s.Item1, s => s.Item2, ReferenceEqualityComparer.Instance);
        return [.. Parameters.Select(p => (p, sums[p]))];
    }

    // A weighted layer's outputs, whose gradients its rule turns into per-example norms and sums.
    private sealed record Captured(Tensor[] Outputs, Func<Tensor[], LayerGradients> Rule);

    // The model's forward (as SpecModel's: token ids give each sequence's length to the sequence layers), keeping what the rules need.
    private List<Captured> Forward(Tensor inputs, out Tensor outputs)
    {
        using var lengths = InputKinds.Of(_model.Spec) == InputKinds.Tokens ? SpecModel.SequenceLengths(inputs) : null;
        var captured = new List<Captured>();
        var x = inputs;
        foreach (var module in _modules)
        {
            var a = x;
            switch (module)
            {
                case RecurrentLayer recurrent:
                    var products = new List<UnrolledRecurrence.Product>();
                    x = UnrolledRecurrence.Forward(recurrent, a, lengths, products);
                    foreach (var product in products.Where(p => p.Weight.requires_grad || p.Bias.requires_grad))
                        captured.Add(new Captured(product.Outputs, g => LayerGradients.Dense(
                            LayerGradients.Trainable(product.Weight), LayerGradients.Trainable(product.Bias), product.Input, g.Length == 1 ? g[0] : stack(g, 1))));
                    continue;
                case nn.Module<Tensor, Tensor?, Tensor> sequence:
                    x = sequence.call(a, lengths);
                    continue;
            }
            x = ((nn.Module<Tensor, Tensor>)module).call(a);
            if (!module.parameters().Any(p => p.requires_grad))
                continue;
            captured.Add(module switch
            {
                Linear linear => new Captured([x], g => LayerGradients.Dense(LayerGradients.Trainable(linear.weight), LayerGradients.Trainable(linear.bias), a.detach(), g[0])),
                Conv2d convolution => new Captured([x], g => LayerGradients.Convolution(convolution, a.detach(), g[0])),
                Embedding embedding => new Captured([x], g => LayerGradients.Embedding(embedding, a, g[0])),
                _ => throw new InvalidOperationException($"Unreachable: {module.GetType().Name} has weights but no batched rule."),
            });
        }
        outputs = x;
        return captured;
    }

    /// <summary>The weights of the model's embeddings, whose row <see cref="InputKinds.PadId"/> is never trained: not even noise may move it.</summary>
    public IEnumerable<Parameter> Embeddings => _model.modules().OfType<Embedding>().Select(e => e.get_parameter("weight")!).Where(p => p.requires_grad);

    /// <summary>Every trainable weight the sums cover: all of the model's.</summary>
    public IEnumerable<Parameter> Parameters => _model.parameters().Where(p => p.requires_grad);

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

}
