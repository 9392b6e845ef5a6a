namespace Anvil.Training.Transfer;

/// <summary>
/// Consecutive pretrained layers fine-tuned together (a recipe's <c>transfer.groups</c> entry): frozen until
/// <see cref="UnfreezeEpoch"/>, then trained at the recipe's scheduled learning rate × <see cref="LearningRateFactor"/>.
/// </summary>
/// <example>
/// <code>{"name": "stage4", "layers": [8, 11], "learning_rate_factor": 0.3, "unfreeze_epoch": 2}</code>
/// </example>
public sealed record LayerGroup
{
    /// <summary>A name for progress lines and errors, e.g. "stem".</summary>
    public string Name { get; init; } = "";
    /// <summary>The first and last layer index of the group (the spec's layer order, inclusive).</summary>
    public int[] Layers { get; init; } = [];
    /// <summary>Multiplies the recipe's learning rate for these layers (discriminative rates: early layers learn slowest).</summary>
    public double LearningRateFactor { get; init; } = 1;
    /// <summary>The first epoch (1-based) in which the group trains; before it the group's weights are frozen.</summary>
    public int UnfreezeEpoch { get; init; } = 1;

    /// <summary>The first layer index.</summary>
    public int First => Layers[0];
    /// <summary>The last layer index.</summary>
    public int Last => Layers[1];
}
