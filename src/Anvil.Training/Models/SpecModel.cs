using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>A TorchSharp module built from a <see cref="ModelSpec"/>; returns logits (B, classes).</summary>
/// <example>
/// <code>using var model = ModelBuilder.Build(spec); var logits = model.forward(images);</code>
/// </example>
public sealed class SpecModel : Module<Tensor, Tensor>
{
    // Registered as "layers", each under "{index:D2}_{type}": state-dict keys are layers.00_conv2d.0.weight, …
    private readonly ModuleDict<Module> layers;
    private readonly bool _tokens;

    internal SpecModel(ModelSpec spec, ModuleDict<Module> layers) : base(spec.Name)
    {
        Spec = spec;
        this.layers = layers;
        _tokens = InputKinds.Of(spec) == InputKinds.Tokens;
        RegisterComponents();
    }

    /// <summary>The spec the model was built from.</summary>
    public ModelSpec Spec { get; }

    /// <summary>
    /// (B, ...input shape) → (B, classes) logits. Token ids (B, T) int64 are right-padded with
    /// <see cref="InputKinds.PadId"/>; a sequence's length is its count of other ids (at least 1), and
    /// padded steps do not change the result. Series (B, T, F) are full length.
    /// </summary>
    public override Tensor forward(Tensor input) => Forward(input, layers.Count);

    /// <summary>The layers in order, each with its state-dict name (e.g. <c>00_conv2d</c>).</summary>
    internal IEnumerable<(string Name, Module Layer)> Layers() => layers.named_children();

    /// <summary>(B, ...input shape) → the output of the layer before the last: the features a classifier's head reads (e.g. seed-cnn's 64 units).</summary>
    public Tensor Features(Tensor input) => Forward(input, layers.Count - 1);

    private Tensor Forward(Tensor input, int layerCount)
    {
        using var lengths = _tokens ? SequenceLengths(input) : null;
        var x = input;
        foreach (var layer in layers.values().Take(layerCount))
        {
            var next = layer switch
            {
                Module<Tensor, Tensor?, Tensor> sequenceLayer => sequenceLayer.call(x, lengths),
                Module<Tensor, Tensor> plain => plain.call(x),
                _ => throw new InvalidOperationException($"Layer module {layer.GetType().Name} has no forward this model can call."),
            };
            if (!ReferenceEquals(x, input))
                x.Dispose(); // as Sequential does: each intermediate is released once the next layer has read it
            x = next;
        }
        return x;
    }

    /// <summary>
    /// (B, T) token ids → (B) int64 lengths: the count of non-pad ids, at least 1. An all-pad row
    /// counts as one step (the pad vector), since packed sequences and ONNX refuse length 0.
    /// </summary>
    public static Tensor SequenceLengths(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        using var scope = NewDisposeScope();
        return ids.ne(InputKinds.PadId).sum(1, type: ScalarType.Int64).clamp_min(1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            layers.Dispose();
        base.Dispose(disposing);
    }
}
