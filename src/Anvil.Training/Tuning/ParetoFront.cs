namespace Anvil.Training.Tuning;

/// <summary>
/// Non-dominated sorting (Deb et al. 2002, NSGA-II) of a multi-objective study's trials. A point dominates another
/// when it is at least as good in every objective and better in one; equal points do not dominate each other,
/// so both stay on the same front. Rank 0 is the Pareto front, rank 1 the front once rank 0 is removed, and so on.
/// </summary>
/// <example>
/// <code>int[] ranks = ParetoFront.Ranks([[0.9, 3.0], [0.8, 1.0], [0.7, 2.0]], maximize: [true, false]); // [0, 0, 1]</code>
/// </example>
public static class ParetoFront
{
    /// <summary>The non-domination rank of each point; <paramref name="maximize"/> gives each objective's direction.</summary>
    public static int[] Ranks(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<bool> maximize)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(maximize);
        var losses = points.Select(p => Losses(p, maximize)).ToArray();
        var ranks = new int[losses.Length];
        var dominatedBy = new int[losses.Length]; // how many points dominate each one
        var dominates = Enumerable.Range(0, losses.Length).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < losses.Length; i++)
        {
            for (var j = 0; j < losses.Length; j++)
            {
                if (Dominates(losses[i], losses[j]))
                {
                    dominates[i].Add(j);
                    dominatedBy[j]++;
                }
            }
        }
        var front = Enumerable.Range(0, losses.Length).Where(i => dominatedBy[i] == 0).ToList();
        for (var rank = 0; front.Count > 0; rank++)
        {
            var next = new List<int>();
            foreach (var i in front)
            {
                ranks[i] = rank;
                foreach (var j in dominates[i])
                {
                    if (--dominatedBy[j] == 0)
                        next.Add(j);
                }
            }
            front = next;
        }
        return ranks;
    }

    /// <summary>The complete trials of rank 0, by trial number: the study's Pareto front.</summary>
    public static IReadOnlyList<TrialRecord> Of(IReadOnlyList<TrialRecord> trials, IReadOnlyList<Objective> objectives)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(objectives);
        var complete = Complete(trials, objectives.Count);
        var ranks = Ranks(complete.Select(t => t.Values!).ToList(), objectives.Select(o => o.Maximize).ToList());
        return complete.Where((_, i) => ranks[i] == 0).ToList();
    }

    /// <summary>Complete trials with one finite value per objective, by trial number.</summary>
    public static List<TrialRecord> Complete(IReadOnlyList<TrialRecord> trials, int objectives)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return trials.Where(t => t.State == TrialState.Complete && t.Values is { } v && v.Count == objectives && v.All(double.IsFinite))
            .OrderBy(t => t.Number).ToList();
    }

    /// <summary>The values turned into losses (maximised objectives negated), so smaller is better in every one.</summary>
    public static double[] Losses(IReadOnlyList<double> values, IReadOnlyList<bool> maximize)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(maximize);
        if (values.Count != maximize.Count)
            throw new ArgumentException($"A point has {values.Count} values for {maximize.Count} objectives.", nameof(values));
        return values.Select((v, i) => maximize[i] ? -v : v).ToArray();
    }

    private static bool Dominates(double[] a, double[] b)
    {
        var better = false;
        for (var k = 0; k < a.Length; k++)
        {
            if (a[k] > b[k])
                return false;
            better |= a[k] < b[k];
        }
        return better;
    }
}
