namespace Anvil.Training.Data.Series;

/// <summary>
/// The baseline a forecaster must beat: tomorrow at this hour is what today was at this hour. Each step of the
/// horizon repeats the value one <c>season</c> earlier (24 for hourly data with a daily cycle).
/// </summary>
public static class SeasonalNaive
{
    /// <summary>Forecasts (N × horizon) from windows (N × input); needs input ≥ season.</summary>
    public static float[] Forecast(ReadOnlySpan<float> inputs, int input, int horizon, int season)
    {
        if (season < 1 || season > input)
            throw new ArgumentOutOfRangeException(nameof(season), season, $"The season must lie in [1, {input}] (the input window).");
        var count = inputs.Length / input;
        var forecasts = new float[checked(count * horizon)];
        for (var n = 0; n < count; n++)
        {
            var window = inputs.Slice(n * input, input);
            for (var h = 0; h < horizon; h++)
                forecasts[(n * horizon) + h] = window[input - season + (h % season)];
        }

        return forecasts;
    }

    /// <summary>Mean absolute error of forecasts against targets, in the series' unit.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<float> forecasts, ReadOnlySpan<float> targets)
    {
        if (forecasts.Length != targets.Length || forecasts.Length == 0)
            throw new ArgumentException($"{forecasts.Length} forecasts for {targets.Length} targets; they must match and not be empty.", nameof(targets));
        var sum = 0.0;
        for (var i = 0; i < forecasts.Length; i++)
            sum += Math.Abs(forecasts[i] - targets[i]);
        return sum / forecasts.Length;
    }
}
