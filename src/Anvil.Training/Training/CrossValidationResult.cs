using System.Globalization;

namespace Anvil.Training.Training;

/// <summary>
/// What k-fold cross-validation measured: the same named figures on every fold, the first of them the headline
/// (<c>accuracy</c> then <c>auc</c> for a classifier; <c>test_mae</c> then <c>seasonal_naive_mae</c> for a forecaster).
/// </summary>
/// <example>
/// <code>Console.WriteLine($"{result.Headline} {result.Mean(result.Headline):F4} ± {result.StandardDeviation(result.Headline):F4}");</code>
/// </example>
public sealed class CrossValidationResult
{
    private readonly IReadOnlyList<double[]> _folds;

    /// <param name="metrics">The figures' names, headline first.</param>
    /// <param name="folds">Per fold, one value per name, in the names' order.</param>
    public CrossValidationResult(IReadOnlyList<string> metrics, IReadOnlyList<double[]> folds)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(folds);
        if (metrics.Count == 0 || folds.Count == 0 || folds.Any(f => f.Length != metrics.Count))
            throw new ArgumentException($"Cross-validation needs at least one figure and one fold, each fold with one value per figure ({metrics.Count}).", nameof(folds));
        Metrics = metrics;
        _folds = folds;
    }

    /// <summary>The figures' names, headline first.</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>The figure a reader looks at first.</summary>
    public string Headline => Metrics[0];

    /// <summary>Number of folds.</summary>
    public int FoldCount => _folds.Count;

    /// <summary>The figure's value on each fold, in fold order.</summary>
    public IReadOnlyList<double> Values(string metric)
    {
        var index = Metrics.ToList().IndexOf(metric);
        if (index < 0)
            throw new ArgumentException($"No figure '{metric}'; cross-validation measured {string.Join(", ", Metrics)}.", nameof(metric));
        return [.. _folds.Select(f => f[index])];
    }

    /// <summary>Mean of the figure over the folds.</summary>
    public double Mean(string metric) => Values(metric).Average();

    /// <summary>Sample standard deviation of the figure over the folds (0 for one fold).</summary>
    public double StandardDeviation(string metric)
    {
        var values = Values(metric);
        var mean = values.Average();
        return values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>The figures as run metrics: <c>fold{i}_{name}</c> (1-based), <c>cv_mean_{name}</c> and <c>cv_std_{name}</c>.</summary>
    public Dictionary<string, double> ToMetrics()
    {
        var metrics = new Dictionary<string, double>();
        foreach (var name in Metrics)
        {
            var values = Values(name);
            for (var i = 0; i < values.Count; i++)
                metrics[string.Create(CultureInfo.InvariantCulture, $"fold{i + 1}_{name}")] = values[i];
            metrics[$"cv_mean_{name}"] = Mean(name);
            metrics[$"cv_std_{name}"] = StandardDeviation(name);
        }
        return metrics;
    }
}
