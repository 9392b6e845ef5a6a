namespace Anvil.Training.Training;

/// <summary>How a fit ended.</summary>
/// <param name="History">Every epoch's metrics, including epochs before a resume.</param>
/// <param name="Elapsed">Wall time of this fit (excluding earlier sessions of a resumed run).</param>
/// <param name="Cancelled">The cancellation token fired (Ctrl-C); the last checkpoint holds the last full epoch.</param>
/// <param name="Diverged">The loss became NaN or infinite.</param>
/// <param name="StopReason">Why a callback stopped training early, if one did.</param>
/// <param name="FirstEpoch">First epoch trained by this fit (greater than 1 after a resume).</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> History, TimeSpan Elapsed, bool Cancelled, bool Diverged, string? StopReason, int FirstEpoch)
{
    /// <summary>Epochs trained by this fit, not counting those before a resume.</summary>
    public int EpochsThisFit => History.Count(h => h.Epoch >= FirstEpoch);
}
