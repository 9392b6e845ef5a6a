namespace Anvil.Training.Data.Series;

/// <summary>Where a series' windows sit in time: what the forecast plot and the seasonal-naive baseline need.</summary>
/// <param name="Options">The recipe's series options.</param>
/// <param name="Start">Time of the series' first value.</param>
/// <param name="Step">Time between two values.</param>
/// <param name="TestStart">Index of the test part's first value; test window n reads values from TestStart + n.</param>
/// <example>
/// <code>var time = layout.TestTargetTime(window: 0, step: 24); // when the first test window's t+24 falls</code>
/// </example>
public sealed record SeriesLayout(SeriesOptions Options, DateTime Start, TimeSpan Step, int TestStart)
{
    /// <summary>The time of test window <paramref name="window"/>'s target t+<paramref name="step"/> (1-based).</summary>
    public DateTime TestTargetTime(int window, int step) => Start + (Step * (TestStart + window + Options.Input + step - 1));
}
