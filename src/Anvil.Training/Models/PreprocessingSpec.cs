namespace Anvil.Training.Models;

/// <summary>
/// What serving must do to a raw input before the model sees it, replayed exactly as in training:
/// scale raw values (e.g. 1/255 for 8-bit pixels), then subtract <see cref="Mean"/> and divide by
/// <see cref="Std"/> per channel. Mean and std are fitted on the training split only.
/// </summary>
/// <example>
/// <code>new PreprocessingSpec { Scale = 1 / 255.0, Mean = [0.286f], Std = [0.353f] }</code>
/// </example>
public sealed record PreprocessingSpec
{
    /// <summary>Factor applied to raw input values first (1/255 for 8-bit images, 1 for CSV features).</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Per-channel (or per-feature) mean of the scaled training inputs.</summary>
    public required float[] Mean { get; init; }

    /// <summary>Per-channel (or per-feature) standard deviation of the scaled training inputs; never zero.</summary>
    public required float[] Std { get; init; }

    /// <summary>
    /// Regression heads only: the training targets' mean, one per output. The model is trained on
    /// standardised targets; its outputs are multiplied by <see cref="TargetStd"/> and shifted by this
    /// mean when evaluated and in the exported graph, so every figure and answer is in the original unit.
    /// Null for classifiers.
    /// </summary>
    public float[]? TargetMean { get; init; }

    /// <summary>Regression heads only: the training targets' standard deviation, one per output, never zero.</summary>
    public float[]? TargetStd { get; init; }
}
