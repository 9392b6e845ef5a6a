namespace Anvil.Training.Tuning;

/// <summary>
/// Stops a trial whose best value so far is worse than the median of the complete trials' values at
/// the same epoch (the median stopping rule of Google Vizier, Golovin et al. 2017). Nothing is pruned
/// before <c>startupTrials</c> complete trials have reached that epoch, nor in the first <c>warmupEpochs</c>.
/// </summary>
/// <example>
/// <code>var pruner = new MedianPruner(maximize: true, startupTrials: 5, warmupEpochs: 1);</code>
/// </example>
public sealed class MedianPruner : IPruner
{
    private readonly bool _maximize;
    private readonly int _startupTrials;
    private readonly int _warmupEpochs;

    public MedianPruner(bool maximize, int startupTrials = 5, int warmupEpochs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startupTrials);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupEpochs);
        (_maximize, _startupTrials, _warmupEpochs) = (maximize, startupTrials, warmupEpochs);
    }

    /// <inheritdoc />
    public bool ShouldPrune(int epoch, TrialRecord trial, IReadOnlyList<TrialRecord> others)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(others);
        if (epoch <= _warmupEpochs || trial.BestUpTo(epoch, _maximize) is not { } best)
            return false;
        var atEpoch = others.Where(t => t.State == TrialState.Complete && t.Number != trial.Number && t.Intermediate.ContainsKey(epoch))
            .Select(t => t.Intermediate[epoch]).Order().ToArray();
        if (atEpoch.Length == 0 || atEpoch.Length < _startupTrials)
            return false;
        var middle = atEpoch.Length / 2;
        var median = atEpoch.Length % 2 == 1 ? atEpoch[middle] : (atEpoch[middle - 1] + atEpoch[middle]) / 2;
        return _maximize ? best < median : best > median;
    }
}
