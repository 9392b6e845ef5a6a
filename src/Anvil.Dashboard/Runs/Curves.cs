using Anvil.Dashboard.Charts;

namespace Anvil.Dashboard.Runs;

/// <summary>A run's per-epoch metrics as chart lines: losses on one chart, every other metric on a second.</summary>
internal static class Curves
{
    public static IReadOnlyList<Series> Losses(Run run) => Of(run, name => name.Contains("loss", StringComparison.Ordinal));

    public static IReadOnlyList<Series> Others(Run run) => Of(run, name => !name.Contains("loss", StringComparison.Ordinal));

    private static List<Series> Of(Run run, Func<string, bool> include) => run.Epochs
        .SelectMany(epoch => epoch.Metrics.Select(metric => (Name: metric.Key, Point: ((double)epoch.Epoch, metric.Value))))
        .Where(row => include(row.Name))
        .GroupBy(row => row.Name, StringComparer.Ordinal)
        .OrderBy(group => group.Key, StringComparer.Ordinal)
        .Select(group => new Series(group.Key, group.Select(row => row.Point).ToList()))
        .ToList();
}
