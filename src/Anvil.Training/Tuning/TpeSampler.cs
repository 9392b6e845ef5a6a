namespace Anvil.Training.Tuning;

/// <summary>
/// The Tree-structured Parzen Estimator (Bergstra et al. 2011, "Algorithms for Hyper-Parameter
/// Optimization"). After the random startup trials, the complete trials are split into the best
/// γ(n) = min(⌈n/10⌉, 25) ("good") and the rest plus every pruned and running trial ("bad"); each parameter gets a
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
        if (complete.Count < startupTrials)
            return space.Parameters.ToDictionary(p => p.Name, p => p.Range.SampleUniform(random));
        // Ties broken by trial number so the split does not depend on the order trials arrive in.
        var good = TpeSplit.Good(complete, maximize, Math.Min((complete.Count + 9) / 10, 25));
        // Running trials count as bad too (Optuna's "constant liar"): parallel workers then spread out
        // instead of all sampling next to the same good trial before any of them reports.
        var bad = complete.Except(good).Concat(trials.Where(t => t.State is TrialState.Pruned or TrialState.Running)).ToList();
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

    // A trial sampled before the parameter joined the space has no value for it and is left out.
    private static List<double> Observed(IEnumerable<TrialRecord> trials, string name) =>
        trials.Where(t => t.Parameters.ContainsKey(name)).Select(t => t.Parameters[name]).ToList();
}
