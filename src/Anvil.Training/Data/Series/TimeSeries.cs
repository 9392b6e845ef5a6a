namespace Anvil.Training.Data.Series;

/// <summary>A regularly spaced series of one value, with what its reader had to repair.</summary>
/// <param name="Start">Time of the first value.</param>
/// <param name="Step">Time between two values.</param>
/// <param name="Values">The values, oldest first.</param>
/// <param name="Filled">How many values were missing (gaps or empty cells) and filled by linear interpolation.</param>
public sealed record TimeSeries(DateTime Start, TimeSpan Step, float[] Values, int Filled)
{
    /// <summary>Time of value <paramref name="index"/>.</summary>
    public DateTime TimeAt(int index) => Start + (Step * index);
}
