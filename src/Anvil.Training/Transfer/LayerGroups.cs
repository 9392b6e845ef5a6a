using Anvil.Training.Models;
using TorchSharp.Modules;

namespace Anvil.Training.Transfer;

/// <summary>A model's parameters split by <see cref="LayerGroup"/>: the head (layers in no group) first, then each group in order.</summary>
internal static class LayerGroups
{
    /// <summary>(parameters, learning-rate factor) per group, the head first at factor 1; an error when a group names a layer the model lacks or the head.</summary>
    public static IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double Factor)> Split(SpecModel model, IReadOnlyList<LayerGroup> groups)
    {
        var layerCount = model.Spec.Layers.Count;
        foreach (var group in groups)
            if (group.Last >= layerCount - 1)
                throw new ArgumentException($"Invalid recipe: transfer.groups '{group.Name}' reaches layer {group.Last}, but model '{model.Spec.Name}' has layers 0-{layerCount - 1} and the last is the new head; groups hold pretrained layers 0-{layerCount - 2}.");
        var named = model.named_parameters().ToList();
        var result = new List<(IReadOnlyList<Parameter>, double)> { ([.. named.Where(p => GroupOf(p.name, groups) is null).Select(p => p.parameter)], 1.0) };
        result.AddRange(groups.Select(g => ((IReadOnlyList<Parameter>)[.. named.Where(p => GroupOf(p.name, groups) == g).Select(p => p.parameter)], g.LearningRateFactor)));
        return result;
    }

    /// <summary>Every parameter of <paramref name="group"/>'s layers.</summary>
    public static IEnumerable<Parameter> Of(SpecModel model, LayerGroup group) =>
        model.named_parameters().Where(p => LayerIndex(p.name) is { } i && i >= group.First && i <= group.Last).Select(p => p.parameter);

    private static LayerGroup? GroupOf(string name, IReadOnlyList<LayerGroup> groups) =>
        LayerIndex(name) is { } i ? groups.FirstOrDefault(g => i >= g.First && i <= g.Last) : null;

    // State-dict keys are layers.{index:D2}_{type}.…
    private static int? LayerIndex(string name) =>
        name.StartsWith("layers.", StringComparison.Ordinal) && int.TryParse(name.AsSpan(7, 2), out var index) ? index : null;
}
