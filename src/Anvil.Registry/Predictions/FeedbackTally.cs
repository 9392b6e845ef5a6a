namespace Anvil.Registry.Predictions;

/// <summary>How many feedback items an organization has per corrected label name, most first.</summary>
public sealed record FeedbackTally(IReadOnlyList<(string LabelName, long Count)> ByLabel)
{
    public long Total => ByLabel.Sum(row => row.Count);
}
