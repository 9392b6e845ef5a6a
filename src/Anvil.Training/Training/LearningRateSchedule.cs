namespace Anvil.Training.Training;

/// <summary>
/// Learning rate as a pure function of the step, so a resumed run continues exactly where it
/// stopped without any scheduler state to save.
/// </summary>
/// <example>
/// <code>var lr = new LearningRateSchedule("onecycle", peak: 0.2, totalSteps: 2340, warmupFraction: 0.25).At(100);</code>
/// </example>
public sealed class LearningRateSchedule(string kind, double peak, long totalSteps, double warmupFraction)
{
    // One-cycle and cosine start and end at peak / 25 and peak / 1000 (as torch's OneCycleLR defaults).
    private const double StartDivisor = 25, EndDivisor = 1000;

    /// <summary>Learning rate for 0-based <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (kind == "constant")
            return peak;
        var warmup = (long)(warmupFraction * totalSteps);
        if (step < warmup)
            return peak / StartDivisor + (peak - peak / StartDivisor) * step / warmup;
        var progress = Math.Clamp((double)(step - warmup) / Math.Max(1, totalSteps - warmup), 0, 1);
        var low = peak / EndDivisor;
        return kind == "cosine"
            ? low + (peak - low) * 0.5 * (1 + Math.Cos(Math.PI * progress))
            : peak + (low - peak) * progress;
    }
}
