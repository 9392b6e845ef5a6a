using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Transfer;

/// <summary>
/// Weights trained elsewhere (e.g. on ImageNet), keyed by the state-dict keys of a built-in backbone's first
/// <see cref="BackboneLayers"/> layers, with the input preprocessing they were trained for. The layers after
/// the backbone (the new head) keep their random initialisation.
/// </summary>
/// <example>
/// <code>
/// using var model = ModelBuilder.Build(spec);
/// weights.LoadInto(model);
/// </code>
/// </example>
/// <param name="Source">Where the weights came from, for the run's record (e.g. "imagenet-resnet18").</param>
/// <param name="Backbone">The built-in model whose layers the keys name (e.g. "resnet-18").</param>
/// <param name="BackboneLayers">How many of the backbone's layers the weights fill (ResNet-18: 11, up to its pooled features).</param>
/// <param name="Tensors">By state-dict key, e.g. <c>layers.02_residual.body.0.weight</c>.</param>
/// <param name="Preprocessing">Scale, mean and std the weights expect of raw 0..255 pixels, in R, G, B order.</param>
public sealed record PretrainedWeights(string Source, string Backbone, int BackboneLayers, IReadOnlyDictionary<string, PretrainedTensor> Tensors, PreprocessingSpec Preprocessing)
{
    /// <summary>Copies every tensor into <paramref name="model"/>; an error names a key the model lacks or a shape that differs.</summary>
    public void LoadInto(SpecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var state = model.state_dict();
        using var noGrad = no_grad();
        foreach (var (key, pretrained) in Tensors)
        {
            if (!state.TryGetValue(key, out var target))
                throw new ArgumentException($"Pretrained weights '{Source}' hold '{key}', which model '{model.Spec.Name}' lacks; train the {Backbone} model with them.");
            if (!target.shape.SequenceEqual(pretrained.Shape))
                throw new ArgumentException($"Pretrained weight '{key}' of '{Source}' has shape [{string.Join(", ", pretrained.Shape)}] but model '{model.Spec.Name}' has [{string.Join(", ", target.shape)}]; train the {Backbone} model with them.");
            using var values = tensor(pretrained.Values, pretrained.Shape);
            target.copy_(values);
        }
    }
}
