namespace Anvil.Training.Data.Series;

/// <summary>
/// Sliding windows over a series for forecasting: each sample is <c>Input</c> consecutive values and its target
/// the <c>Horizon</c> values that follow. The split is chronological with a gap between the training and test parts;
/// windows are cut within each part, so no test window shares a value with a training window.
/// </summary>
/// <param name="Input">Values a forecast sees, e.g. 72 hours.</param>
/// <param name="Horizon">Values a forecast predicts, e.g. the next 24 hours.</param>
/// <param name="Stride">Steps between the starts of two windows.</param>
public sealed record SeriesWindows(int Input, int Horizon, int Stride = 1)
{
    /// <summary>Windows of <paramref name="values"/>: inputs (N × Input) and targets (N × Horizon), row-major.</summary>
    public (float[] Inputs, float[] Targets, int Count) Create(ReadOnlySpan<float> values)
    {
        Validate();
        var count = values.Length < Input + Horizon ? 0 : ((values.Length - Input - Horizon) / Stride) + 1;
        if (count == 0)
            throw new ArgumentException($"The series has {values.Length} values; one window needs {Input} inputs plus {Horizon} to forecast ({Input + Horizon}). Use a longer series or a shorter series.input or series.horizon in the recipe.");
        var inputs = new float[checked(count * Input)];
        var targets = new float[checked(count * Horizon)];
        for (var n = 0; n < count; n++)
        {
            values.Slice(n * Stride, Input).CopyTo(inputs.AsSpan(n * Input, Input));
            values.Slice((n * Stride) + Input, Horizon).CopyTo(targets.AsSpan(n * Horizon, Horizon));
        }

        return (inputs, targets, count);
    }

    /// <summary>
    /// Index ranges of the training and test parts: the last <paramref name="testFraction"/> of the series is the test
    /// part, and the <paramref name="gap"/> values before it belong to neither.
    /// </summary>
    public (Range Train, Range Test) Split(int length, double testFraction, int gap)
    {
        Validate();
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie strictly between 0 and 1, e.g. 0.2.");
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        var test = (int)Math.Round(length * testFraction);
        var train = length - test - gap;
        if (test < Input + Horizon || train < Input + Horizon)
            throw new ArgumentException($"A series of {length} values split at test_fraction {testFraction} leaves {Math.Max(train, 0)} for training and {test} for testing after a gap of {gap}; each part needs at least one window of {Input} + {Horizon} = {Input + Horizon} values. Use a longer series, or a shorter series.input, series.horizon or series.gap in the recipe.");
        return (new Range(0, train), new Range(length - test, length));
    }

    private void Validate()
    {
        if (Input < 1 || Horizon < 1 || Stride < 1)
            throw new ArgumentOutOfRangeException(nameof(Input), $"window {Input}, horizon {Horizon} and stride {Stride} must each be at least 1.");
    }
}
