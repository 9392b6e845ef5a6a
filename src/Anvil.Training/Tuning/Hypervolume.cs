namespace Anvil.Training.Tuning;

/// <summary>
/// The hypervolume of a set of loss points (smaller is better in every dimension): the volume they dominate up to a
/// reference point. Computed by slicing along the last dimension, exact and fine for the tens of points a TPE split
/// holds. Multi-objective TPE uses it to choose among the points of one front (Optuna's HSSP tie-break).
/// </summary>
internal static class Hypervolume
{
    public static double Of(IReadOnlyList<double[]> points, double[] reference)
    {
        var inside = points.Where(p => p.Select((v, k) => v < reference[k]).All(b => b)).ToList();
        if (inside.Count == 0)
            return 0;
        var d = reference.Length;
        if (d == 1)
            return reference[0] - inside.Min(p => p[0]);
        // Slices between successive values of the last dimension: each slice is the (d-1)-volume of the points below it.
        var cuts = inside.Select(p => p[d - 1]).Distinct().Order().Append(reference[d - 1]).ToArray();
        double volume = 0;
        for (var i = 0; i < cuts.Length - 1; i++)
        {
            var below = inside.Where(p => p[d - 1] <= cuts[i]).Select(p => p[..(d - 1)]).ToList();
            volume += Of(below, reference[..(d - 1)]) * (cuts[i + 1] - cuts[i]);
        }
        return volume;
    }

    /// <summary>
    /// Greedy hypervolume subset selection: <paramref name="count"/> of <paramref name="points"/>, each time the one that
    /// adds the most hypervolume to those already chosen (ties: the lower index). Returns their indices.
    /// </summary>
    public static List<int> Select(IReadOnlyList<double[]> points, int count)
    {
        // Optuna's reference point: 10% beyond the worst value in each dimension (a tiny positive number where that is 0).
        var reference = Enumerable.Range(0, points[0].Length).Select(k =>
        {
            var worst = points.Max(p => p[k]);
            var r = Math.Max(1.1 * worst, 0.9 * worst);
            return r == 0 ? 1e-12 : r;
        }).ToArray();
        var chosen = new List<int>();
        var chosenPoints = new List<double[]>();
        while (chosen.Count < count)
        {
            var (best, bestVolume) = (-1, double.NegativeInfinity);
            for (var i = 0; i < points.Count; i++)
            {
                if (chosen.Contains(i))
                    continue;
                var volume = Of([.. chosenPoints, points[i]], reference);
                if (volume > bestVolume)
                    (best, bestVolume) = (i, volume);
            }
            chosen.Add(best);
            chosenPoints.Add(points[best]);
        }
        return chosen;
    }
}
