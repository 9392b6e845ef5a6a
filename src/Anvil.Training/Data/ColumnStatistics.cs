namespace Anvil.Training.Data;

/// <summary>Summary statistics of one column's present values, used to fit a <see cref="CsvPolicy"/>.</summary>
internal static class ColumnStatistics
{
    public static double Mean(IReadOnlyList<double> values) => values.Average();

    /// <summary>Population standard deviation (divides by N, like the fitted z-score it feeds).</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    /// <summary>Percentile in [0, 100] with linear interpolation between order statistics (NumPy's default).</summary>
    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var position = percentile / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
