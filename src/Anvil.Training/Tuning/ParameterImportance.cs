namespace Anvil.Training.Tuning;

/// <summary>
/// How much of the spread of the complete trials' values each parameter explains on its own: the
/// correlation ratio η² of the value grouped by the parameter (by choice for a categorical, else by
/// quartile of the parameter's rank). A plain, honest measure: it sees no interactions and, with few
/// trials, is noisy, so read it as a ranking, not a decomposition (fANOVA would do better with a forest).
/// </summary>
/// <example>
/// <code>foreach (var (name, share) in ParameterImportance.Compute(space, trials)) Console.WriteLine($"{name} {share:P0}");</code>
/// </example>
public static class ParameterImportance
{
    private const int Quartiles = 4;

    /// <summary>η² in [0, 1] per parameter, largest first; empty with fewer than three complete trials or no spread.</summary>
    public static IReadOnlyList<(string Name, double Share)> Compute(SearchSpace space, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(trials);
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v)).ToList();
        if (complete.Count < 3)
            return [];
        var mean = complete.Average(t => t.Value!.Value);
        var total = complete.Sum(t => Math.Pow(t.Value!.Value - mean, 2));
        if (total == 0)
            return [];
        var shares = new List<(string, double)>();
        foreach (var (name, range) in space.Parameters)
        {
            var having = complete.Where(t => t.Parameters.ContainsKey(name)).OrderBy(t => t.Parameters[name]).ToList();
            var groups = range.IsCategorical
                ? having.GroupBy(t => t.Parameters[name]).Select(g => g.ToList())
                : having.Select((t, rank) => (t, rank)).GroupBy(p => p.rank * Quartiles / having.Count).Select(g => g.Select(p => p.t).ToList());
            var between = groups.Sum(g => g.Count * Math.Pow(g.Average(t => t.Value!.Value) - mean, 2));
            shares.Add((name, between / total));
        }
        return shares.OrderByDescending(s => s.Item2).ToList();
    }
}
