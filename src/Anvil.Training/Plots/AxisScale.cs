namespace Anvil.Training.Plots;

/// <summary>A data range on one axis with "nice" tick marks (1, 2 or 5 times a power of ten), as matplotlib chooses them.</summary>
internal readonly record struct AxisScale(double Min, double Max, double Step)
{
    /// <summary>Covers the values with nice limits; a minimum step of 1 keeps epoch axes on whole numbers.</summary>
    public static AxisScale Covering(IEnumerable<double> values, double minStep = 0, double floor = double.NegativeInfinity, double ceiling = double.PositiveInfinity)
    {
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        double low = finite.Min(), high = finite.Max();
        if (high - low < 1e-12)
            (low, high) = (low - Math.Max(minStep, Math.Abs(low) * 0.1 + 1e-3), high + Math.Max(minStep, Math.Abs(high) * 0.1 + 1e-3));
        var step = Math.Max(NiceStep((high - low) / 5), minStep);
        low = Math.Max(Math.Floor(low / step) * step, floor);
        high = Math.Min(Math.Ceiling(high / step) * step, ceiling);
        return new AxisScale(low, high, step);
    }

    /// <summary>The tick values from <see cref="Min"/> to <see cref="Max"/>, one per step.</summary>
    public IEnumerable<double> Ticks()
    {
        var first = Math.Ceiling(Min / Step - 1e-9) * Step;
        for (var tick = first; tick <= Max + Step * 1e-9; tick += Step)
            yield return Math.Round(tick / Step) * Step + 0.0; // undo drift from repeated addition; + 0.0 turns -0 into 0
    }

    /// <summary>A tick label with just enough decimals for the step (0.05 → "0.15", 2 → "4").</summary>
    public string Format(double value)
    {
        var decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(Step) - 1e-9), 0, 6);
        return value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The same ticks with a margin of <paramref name="fraction"/> of the range on both sides, so end points do not sit on the frame.</summary>
    public AxisScale Padded(double fraction) => this with { Min = Min - (Max - Min) * fraction, Max = Max + (Max - Min) * fraction };

    /// <summary>Where <paramref name="value"/> falls between <paramref name="start"/> (at Min) and <paramref name="end"/> (at Max), in pixels.</summary>
    public float Map(double value, float start, float end) => (float)(start + (value - Min) / (Max - Min) * (end - start));

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var residual = raw / magnitude;
        return magnitude * (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10);
    }
}
