using System.Globalization;
using ScottPlot;

namespace Anvil.Training.Plots;

/// <summary>
/// A model version's headline figures on a 0–1 scale as horizontal bars (test accuracy, AUC, cross-validated and
/// robust accuracy, …); a figure that was not measured has no bar and says "not measured" beside its name.
/// </summary>
/// <example>
/// <code>byte[] png = TrustPlot.Render("Trust report, run 01a2…", [("test accuracy", 0.91), ("robust accuracy", null)]);</code>
/// </example>
public static class TrustPlot
{
    private const int Width = 760, RowHeight = 46, Frame = 150;

    /// <param name="title">The chart's title.</param>
    /// <param name="figures">Label and value in [0, 1], top to bottom; null when not measured.</param>
    public static byte[] Render(string title, IReadOnlyList<(string Label, double? Value)> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentOutOfRangeException.ThrowIfZero(figures.Count);
        var plot = PlotStyle.NewPlot();
        var ordered = figures.Reverse().ToArray(); // the first figure at the top
        var bars = plot.Add.Bars(ordered.Select(f => f.Value ?? 0).ToArray());
        bars.Horizontal = true;
        for (var i = 0; i < ordered.Length; i++)
        {
            var bar = bars.Bars[i];
            bar.FillColor = ordered[i].Value is null ? PlotStyle.Chance : PlotStyle.Palette.GetColor(0);
            bar.Label = ordered[i].Value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "not measured";
        }

        bars.ValueLabelStyle.FontSize = 13;
        plot.Axes.Left.SetTicks(Enumerable.Range(0, ordered.Length).Select(i => (double)i).ToArray(), ordered.Select(f => f.Label).ToArray());
        plot.Axes.SetLimitsX(0, 1.15);
        plot.Title(title);
        plot.XLabel("0–1 scale (AUC, or share of examples)");
        return plot.GetImageBytes(Width, Frame + RowHeight * ordered.Length, ImageFormat.Png);
    }
}
