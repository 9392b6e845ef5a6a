using Anvil.Training.Training;
using ScottPlot;

namespace Anvil.Training.Plots;

/// <summary>
/// Loss and the task's figure (accuracy for a classifier, mean absolute error for a regressor) per epoch,
/// training and validation, as two side-by-side panels in a PNG. Validation lines are drawn only for epochs
/// that have validation figures.
/// </summary>
/// <example>
/// <code>TrainingCurvesPlot.Save(trainer.History, "runs/42/curves.png");</code>
/// </example>
public static class TrainingCurvesPlot
{
    private const int Width = 1200, Height = 520;

    /// <summary>Draws the history and writes it to <paramref name="path"/> as a PNG (the folder is created if needed).</summary>
    /// <param name="history">One entry per epoch, in order; at least one.</param>
    /// <param name="path">Where to write the PNG.</param>
    public static void Save(IReadOnlyList<EpochMetrics> history, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (history.Count == 0)
            throw new ArgumentException("The history is empty: train for at least one epoch before plotting its curves.", nameof(history));

        var values = history.Select(e => (e.Epoch, Values: e.ToValues())).ToList();
        var classifier = values[0].Values.ContainsKey("accuracy");
        var row = PlotStyle.NewRow(2);
        var epochs = $"{history.Count} epoch{(history.Count == 1 ? "" : "s")}";
        Panel(row.GetPlot(0), values, $"Loss ({epochs})", "loss");
        Panel(row.GetPlot(1), values, classifier ? $"Accuracy ({epochs})" : $"Mean absolute error ({epochs})", classifier ? "accuracy" : "mae");
        if (classifier)
            row.GetPlot(1).Axes.SetLimitsY(0, 1.02);
        PlotStyle.Save(file => row.SavePng(file, Width, Height), path);
    }

    private static void Panel(Plot plot, List<(int Epoch, IReadOnlyDictionary<string, double> Values)> history, string title, string quantity)
    {
        foreach (var (name, label, color) in new[] { (quantity, "train", 0), ("val_" + quantity, "validation", 1) })
        {
            var points = history.Where(e => e.Values.ContainsKey(name)).ToList();
            if (points.Count == 0)
                continue;
            var line = plot.Add.Scatter(points.Select(e => (double)e.Epoch).ToArray(), points.Select(e => e.Values[name]).ToArray(), PlotStyle.Palette.GetColor(color));
            line.LegendText = $"{label} {quantity}";
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(quantity);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.UpperRight);
    }
}
