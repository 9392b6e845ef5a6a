namespace Anvil.Training.Tuning;

/// <summary>
/// TPE's split of the complete trials into the good ones (the density l(x) is fitted to) and the rest. One objective:
/// the best <c>count</c> by value, ties by trial number. Several (Optuna's multi-objective TPE, Ozaki et al. 2020):
/// whole fronts of non-dominated sorting, best rank first, while they fit in <c>count</c>; the front that does not
/// fit is cut by greedy hypervolume subset selection (<see cref="Hypervolume.Select"/>), as Optuna's HSSP does.
/// </summary>
/// <example>
/// <code>var good = TpeSplit.Good(complete, maximize: [true, false], count: 3);</code>
/// </example>
public static class TpeSplit
{
    /// <summary>The good trials of <paramref name="complete"/> (each with a value, or values for several objectives).</summary>
    public static IReadOnlyList<TrialRecord> Good(IReadOnlyList<TrialRecord> complete, IReadOnlyList<bool> maximize, int count)
    {
        ArgumentNullException.ThrowIfNull(complete);
        ArgumentNullException.ThrowIfNull(maximize);
        if (maximize.Count == 1)
        {
            var ranked = (maximize[0] ? complete.OrderByDescending(t => t.Value) : complete.OrderBy(t => t.Value)).ThenBy(t => t.Number);
            return ranked.Take(count).ToList();
        }
        if (count >= complete.Count)
            return complete;
        var ranks = ParetoFront.Ranks(complete.Select(t => t.Values!).ToList(), maximize);
        var good = new List<TrialRecord>();
        for (var rank = 0; good.Count < count; rank++)
        {
            var front = complete.Where((_, i) => ranks[i] == rank).ToList();
            if (good.Count + front.Count <= count)
            {
                good.AddRange(front);
                continue;
            }
            var losses = front.Select(t => ParetoFront.Losses(t.Values!, maximize)).ToList();
            good.AddRange(Hypervolume.Select(losses, count - good.Count).Select(i => front[i]));
        }
        return good;
    }
}
