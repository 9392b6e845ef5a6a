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
}
