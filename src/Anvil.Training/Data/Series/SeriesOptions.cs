namespace Anvil.Training.Data.Series;

/// <summary>
/// The recipe's <c>"series"</c> field: it makes a CSV file a time series to forecast rather than rows to classify.
/// Samples are sliding windows of <see cref="Input"/> values, each with the <see cref="Horizon"/> values that follow
/// as targets; the split is chronological (the last <see cref="TestFraction"/> of the series is the test part,
/// validation the last part of the rest) with <see cref="Gap"/> values between parts that no window reads.
/// </summary>
/// <example>
/// <code>"series": {"time_column": "date", "value_column": "temp", "input": 72, "horizon": 24, "gap": 24}</code>
/// </example>
public sealed record SeriesOptions
{
    // Bounds that keep a window's tensors and the recurrence's unrolled steps a sane size.
    private const int LargestInput = 10_000, LargestHorizon = 1_000;

    /// <summary>CSV column holding each row's time, e.g. <c>2010/01/01 00:00</c>.</summary>
    public string TimeColumn { get; init; } = "date";

    /// <summary>CSV column holding the value to forecast.</summary>
    public required string ValueColumn { get; init; }

    /// <summary>Values a forecast sees, e.g. the last 72 hours.</summary>
    public int Input { get; init; } = 72;

    /// <summary>Values a forecast predicts, e.g. the next 24 hours (targets t+1 … t+24).</summary>
    public int Horizon { get; init; } = 24;

    /// <summary>Values between the training, validation and test parts that no window reads (0 or more).</summary>
    public int Gap { get; init; } = 24;

    /// <summary>The last share of the series kept for testing, in (0, 1).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>The longest run of missing values (rows or empty/NaN cells) filled by linear interpolation.</summary>
    public int MaxGap { get; init; } = 2;

    /// <summary>The seasonal-naive baseline repeats the value this many steps earlier (24 for hourly data: the same hour a day earlier); at most <see cref="Input"/>.</summary>
    public int Season { get; init; } = 24;

    /// <summary>Target names, one per horizon step: t+1 … t+Horizon.</summary>
    public string[] TargetNames() => Enumerable.Range(1, Horizon).Select(h => $"t+{h}").ToArray();

    /// <summary>Throws one error naming the field, its value and the valid range.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(TimeColumn), "series.time_column must name the CSV column holding the times, e.g. \"date\".");
        Require(!string.IsNullOrWhiteSpace(ValueColumn), "series.value_column must name the CSV column holding the values, e.g. \"temp\".");
        Require(Input is >= 1 and <= LargestInput, $"series.input must be in [1, {LargestInput}] values, got {Input}.");
        Require(Horizon is >= 1 and <= LargestHorizon, $"series.horizon must be in [1, {LargestHorizon}] values, got {Horizon}.");
        Require(Gap >= 0, $"series.gap must be 0 or more values, got {Gap}.");
        Require(TestFraction is > 0 and < 1, $"series.test_fraction must be in (0, 1), e.g. 0.2, got {TestFraction}.");
        Require(MaxGap >= 0, $"series.max_gap must be 0 or more values, got {MaxGap}.");
        Require(Season >= 1 && Season <= Input, $"series.season must be in [1, series.input = {Input}], got {Season}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid recipe: {message}");
    }
}
