namespace Anvil.Registry.Predictions;

/// <summary>How many feedback items an organization has per model and corrected label name, most first.</summary>
public sealed record FeedbackTally(IReadOnlyList<(string ModelName, string LabelName, long Count)> Rows)
{
    public long Total => Rows.Sum(row => row.Count);

    /// <summary>Items per label name over all models, most first.</summary>
    public IReadOnlyList<(string LabelName, long Count)> ByLabel => Rows
        .GroupBy(row => row.LabelName, StringComparer.Ordinal)
        .Select(group => (group.Key, group.Sum(row => row.Count)))
        .OrderByDescending(row => row.Item2).ThenBy(row => row.Key, StringComparer.Ordinal).ToList();

    /// <summary>Items per model, most first.</summary>
    public IReadOnlyList<(string ModelName, long Count)> ByModel => Rows
        .GroupBy(row => row.ModelName, StringComparer.Ordinal)
        .Select(group => (group.Key, group.Sum(row => row.Count)))
        .OrderByDescending(row => row.Item2).ThenBy(row => row.Key, StringComparer.Ordinal).ToList();
}
