namespace Anvil.Training.Tuning;

/// <summary>
/// The Tree-structured Parzen Estimator (Bergstra et al. 2011, "Algorithms for Hyper-Parameter
/// Optimization"). After the random startup trials (complete and pruned ones count, as in Optuna), the n finished
/// trials are split into the best γ(n) = min(⌈n/10⌉, 25) ("good") and the rest plus every running trial ("bad"). The
/// good are complete trials by value; while there are fewer complete than γ(n), pruned trials fill them, those that
/// got furthest first, then by their value there (Optuna's split). A study with a pruner thus leaves its random start
/// as soon as one without, though most of its trials never complete. Each parameter gets a
/// <see cref="ParzenEstimator"/> l(x) over the good values and g(x) over the bad ones, and the next
/// value is the one of 24 draws from l that maximises l(x)/g(x), which maximises expected improvement.
/// Parameters are treated independently (univariate TPE). With several objectives the good trials are the best
/// fronts of non-dominated sorting (<see cref="TpeSplit"/>, Optuna's multi-objective TPE).
/// </summary>
/// <example>
/// <code>var sampler = new TpeSampler(seed: 1, maximize: true, startupTrials: 10);</code>
/// </example>
/// <param name="maximize">Each objective's direction; one for a single-objective study.</param>
public sealed class TpeSampler(int seed, IReadOnlyList<bool> maximize, int startupTrials = 10, int candidates = 24) : ISampler
{
    /// <summary>A single-objective TPE.</summary>
    public TpeSampler(int seed, bool maximize, int startupTrials = 10, int candidates = 24) : this(seed, [maximize], startupTrials, candidates)
    {
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double>? Sample(SearchSpace space, IReadOnlyList<TrialRecord> trials, int number)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(trials);
        var random = ISampler.GeneratorFor(seed, number);
        var complete = maximize.Count == 1
            ? trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v)).ToList()
            : ParetoFront.Complete(trials, maximize.Count);
        var pruned = trials.Where(t => t.State == TrialState.Pruned && t.Intermediate.Count > 0).ToList();
        var finished = complete.Count + pruned.Count;
        if (finished == 0 || finished < startupTrials)
            return space.Parameters.ToDictionary(p => p.Name, p => p.Range.SampleUniform(random));
        // Ties broken by trial number so the split does not depend on the order trials arrive in.
        var count = Math.Min((finished + 9) / 10, 25);
        var good = TpeSplit.Good(complete, maximize, Math.Min(count, complete.Count)).Concat(FurthestFirst(pruned).Take(count - complete.Count)).ToList();
        // Running trials count as bad too (Optuna's "constant liar"): parallel workers then spread out
        // instead of all sampling next to the same good trial before any of them reports.
        var bad = complete.Concat(pruned).Except(good).Concat(trials.Where(t => t.State == TrialState.Running)).ToList();
        var values = new Dictionary<string, double>();
        foreach (var (name, range) in space.Parameters)
        {
            var l = new ParzenEstimator(range, Observed(good, name));
            var g = new ParzenEstimator(range, Observed(bad, name));
            var best = double.NaN;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < candidates; i++)
            {
                var candidate = l.Sample(random);
                var score = l.LogDensity(candidate) - g.LogDensity(candidate);
                if (i == 0 || score > bestScore)
                    (best, bestScore) = (candidate, score);
            }
            values[name] = best;
        }
        return values;
    }

    // Pruned trials best first: the furthest epoch reached, then the value there (a pruner exists only with one objective).
    private IEnumerable<TrialRecord> FurthestFirst(List<TrialRecord> pruned) =>
        pruned.Select(t => (Trial: t, Epoch: t.Intermediate.Keys.Max()))
            .OrderByDescending(p => p.Epoch)
            .ThenBy(p => maximize[0] ? -p.Trial.Intermediate[p.Epoch] : p.Trial.Intermediate[p.Epoch])
            .ThenBy(p => p.Trial.Number)
            .Select(p => p.Trial);

    // A trial sampled before the parameter joined the space has no value for it and is left out.
    private static List<double> Observed(IEnumerable<TrialRecord> trials, string name) =>
        trials.Where(t => t.Parameters.ContainsKey(name)).Select(t => t.Parameters[name]).ToList();
}
