using ScottPlot;

namespace Anvil.Training.Plots;

/// <summary>
/// A forecast against the truth over time, as a PNG: what a forecaster's user looks at first (for example a week
/// of test data, each hour's value as forecast from the window before it).
/// </summary>
/// <example>
/// <code>ForecastPlot.Save(times, truth, forecast, "°F", "runs/42/forecast.png");</code>
/// </example>
public static class ForecastPlot
{
    private const int Width = 1200, Height = 480;

    /// <summary>Draws truth and forecast against time and writes the PNG (the folder is created if needed).</summary>
    /// <param name="times">The time of each point, ascending.</param>
    /// <param name="truth">The observed value at each time.</param>
    /// <param name="forecast">The forecast value at each time.</param>
    /// <param name="unit">The values' unit, for the axis label.</param>
    /// <param name="path">Where to write the PNG.</param>
    public static void Save(IReadOnlyList<DateTime> times, IReadOnlyList<float> truth, IReadOnlyList<float> forecast, string unit, string path)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (times.Count == 0 || truth.Count != times.Count || forecast.Count != times.Count)
            throw new ArgumentException($"Got {times.Count} times, {truth.Count} observed and {forecast.Count} forecast values; pass one of each per time, at least one.", nameof(forecast));

        var plot = PlotStyle.NewPlot();
        var x = times.Select(t => t.ToOADate()).ToArray();
        var observed = plot.Add.ScatterLine(x, truth.Select(v => (double)v).ToArray(), PlotStyle.Palette.GetColor(0));
        observed.LegendText = "observed";
        var predicted = plot.Add.ScatterLine(x, forecast.Select(v => (double)v).ToArray(), PlotStyle.Palette.GetColor(1));
        predicted.LegendText = "forecast";
        plot.Axes.DateTimeTicksBottom();
        plot.YLabel(unit);
        plot.Title($"Forecast against the observed values, {times[0]:yyyy-MM-dd HH:mm} to {times[^1]:yyyy-MM-dd HH:mm}");
        plot.ShowLegend(Alignment.UpperRight);
        PlotStyle.Save(file => plot.SavePng(file, Width, Height), path);
    }
}
