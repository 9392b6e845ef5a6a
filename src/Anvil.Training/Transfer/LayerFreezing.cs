using Anvil.Training.Training;

namespace Anvil.Training.Transfer;

/// <summary>
/// Freezes each <see cref="LayerGroup"/> (no gradients, so the optimiser leaves it unchanged) before its
/// <see cref="LayerGroup.UnfreezeEpoch"/> and lets it train from then on. Decided from the epoch number at the start of
/// every epoch, so a resumed run freezes exactly what an uninterrupted one did. Batch norm statistics of a frozen
/// group still follow the data (the layers run in training mode).
/// </summary>
/// <example>
/// <code>new Trainer(model, recipe, [new LayerFreezing(recipe.Transfer!.Groups, Console.Error)]);</code>
/// </example>
public sealed class LayerFreezing(IReadOnlyList<LayerGroup> groups, TextWriter progress) : Callback
{
    /// <inheritdoc />
    public override void OnEpochBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var group in groups)
        {
            var trains = context.Epoch >= group.UnfreezeEpoch;
            foreach (var parameter in LayerGroups.Of(context.Model, group))
                parameter.requires_grad = trains;
            if (context.Epoch == group.UnfreezeEpoch && group.UnfreezeEpoch > 1)
                progress.WriteLine($"Epoch {context.Epoch}: unfreezing {group.Name} (layers {group.First}-{group.Last}, learning rate × {group.LearningRateFactor}).");
        }
    }
}
