using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>A TorchSharp module built from a <see cref="ModelSpec"/>; returns logits (B, classes).</summary>
/// <example>
/// <code>using var model = ModelBuilder.Build(spec); var logits = model.forward(images);</code>
/// </example>
public sealed class SpecModel : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> layers;

    internal SpecModel(ModelSpec spec, Module<Tensor, Tensor> layers) : base(spec.Name)
    {
        Spec = spec;
        this.layers = layers;
        RegisterComponents();
    }

    /// <summary>The spec the model was built from.</summary>
    public ModelSpec Spec { get; }

    /// <summary>(B, ...input shape) → (B, classes) logits.</summary>
    public override Tensor forward(Tensor input) => layers.forward(input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            layers.Dispose();
        base.Dispose(disposing);
    }
}
