using Anvil.Training.Training;
using ScottPlot;

namespace Anvil.Training.Plots;

/// <summary>A GAN's Fréchet distance per epoch (log scale: it falls by orders of magnitude), as a PNG.</summary>
/// <example>
/// <code>FrechetDistancePlot.Save(result.History, "runs/42/frechet_distance.png");</code>
/// </example>
public static class FrechetDistancePlot
{
    private const int Width = 800, Height = 520;

    /// <summary>Draws the epochs that have a <c>frechet_distance</c> and writes the PNG (the folder is created if needed).</summary>
    public static void Save(IReadOnlyList<EpochMetrics> history, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var points = history.Where(e => e.TaskMetrics.ContainsKey("frechet_distance")).ToList();
        if (points.Count == 0)
            throw new ArgumentException("No epoch has a frechet_distance: train a GAN for at least one epoch with its judge.", nameof(history));
        var plot = PlotStyle.NewPlot();
        var line = plot.Add.Scatter(
            points.Select(e => (double)e.Epoch).ToArray(),
            points.Select(e => Math.Log10(Math.Max(e.TaskMetrics["frechet_distance"], 1e-9))).ToArray(),
            PlotStyle.Palette.GetColor(0));
        line.LegendText = "generated vs real test images";
        plot.Title($"Fréchet distance on the judge's features ({points.Count} epoch{(points.Count == 1 ? "" : "s")})");
        plot.XLabel("epoch");
        plot.YLabel("Fréchet distance (log10)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.UpperRight);
        PlotStyle.Save(file => plot.SavePng(file, Width, Height), path);
    }
}
