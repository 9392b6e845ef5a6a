using Anvil.Training.Training;
using ScottPlot;

namespace Anvil.Training.Plots;

/// <summary>
/// Loss and accuracy per epoch, training and validation, as two side-by-side panels in a PNG.
/// Validation lines are drawn only for epochs that have validation figures.
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

        var row = PlotStyle.NewRow(2);
        var epochs = $"{history.Count} epoch{(history.Count == 1 ? "" : "s")}";
        Panel(row.GetPlot(0), history, $"Loss ({epochs})", "loss", e => e.TrainLoss, e => e.ValidationLoss);
        Panel(row.GetPlot(1), history, $"Accuracy ({epochs})", "accuracy", e => e.TrainAccuracy, e => e.ValidationAccuracy);
        row.GetPlot(1).Axes.SetLimitsY(0, 1.02);
        PlotStyle.Save(file => row.SavePng(file, Width, Height), path);
    }

    private static void Panel(Plot plot, IReadOnlyList<EpochMetrics> history, string title, string quantity,
        Func<EpochMetrics, double> train, Func<EpochMetrics, double?> validation)
    {
        var trainLine = plot.Add.Scatter(history.Select(e => (double)e.Epoch).ToArray(), history.Select(train).ToArray(), PlotStyle.Palette.GetColor(0));
        trainLine.LegendText = $"train {quantity}";
        var validated = history.Where(e => validation(e) is not null).ToList();
        if (validated.Count > 0)
        {
            var line = plot.Add.Scatter(validated.Select(e => (double)e.Epoch).ToArray(), validated.Select(e => validation(e)!.Value).ToArray(), PlotStyle.Palette.GetColor(1));
            line.LegendText = $"validation {quantity}";
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(quantity);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.UpperRight);
    }
}
