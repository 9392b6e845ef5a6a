namespace Anvil.Training.Tuning;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2018): rungs sit at epochs
/// <c>minEpochs × reductionFactor^k</c>; a trial reaching a rung goes on only if its best value so far is
/// among the best 1/reductionFactor of every trial that has reached that rung (itself included, at least
/// the single best goes on). Trials are judged as they arrive, so no worker waits for a full bracket.
/// </summary>
/// <example>
/// <code>var pruner = new SuccessiveHalvingPruner(maximize: true, minEpochs: 1, reductionFactor: 3); // rungs at 1, 3, 9 …</code>
/// </example>
public sealed class SuccessiveHalvingPruner : IPruner
{
    private readonly bool _maximize;
    private readonly int _minEpochs;
    private readonly int _reductionFactor;

    public SuccessiveHalvingPruner(bool maximize, int minEpochs = 1, int reductionFactor = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        (_maximize, _minEpochs, _reductionFactor) = (maximize, minEpochs, reductionFactor);
    }

    /// <summary>True when <paramref name="epoch"/> is a rung: minEpochs times a power of the reduction factor.</summary>
    public bool IsRung(int epoch)
    {
        for (long rung = _minEpochs; rung <= epoch; rung *= _reductionFactor)
        {
            if (rung == epoch)
                return true;
        }
        return false;
    }

    /// <inheritdoc />
    public bool ShouldPrune(int epoch, TrialRecord trial, IReadOnlyList<TrialRecord> others)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(others);
        if (!IsRung(epoch) || trial.BestUpTo(epoch, _maximize) is not { } value)
            return false;
        // Every trial that reached the rung competes, whatever became of it later.
        var rivals = others.Where(t => t.Number != trial.Number && t.Intermediate.ContainsKey(epoch))
            .Select(t => t.BestUpTo(epoch, _maximize)!.Value).ToList();
        var promoted = Math.Max(1, (rivals.Count + 1) / _reductionFactor);
        var better = rivals.Count(r => _maximize ? r > value : r < value);
        return better >= promoted;
    }
}
