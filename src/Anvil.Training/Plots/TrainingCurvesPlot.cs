using Anvil.Training.Training;
using SkiaSharp;

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

        using var figure = new Figure(Width, Height, $"Training curves ({history.Count} epoch{(history.Count == 1 ? "" : "s")})");
        var epochs = AxisScale.Covering(history.Select(e => (double)e.Epoch), minStep: 1).Padded(0.03);
        DrawPanel(figure, SKRect.Create(90, 70, 470, 360), epochs, history, "loss",
            e => e.TrainLoss, e => e.ValidationLoss, AxisScale.Covering(Losses(history), floor: 0).Padded(0.04), legendOnTop: true);
        DrawPanel(figure, SKRect.Create(690, 70, 470, 360), epochs, history, "accuracy",
            e => e.TrainAccuracy ?? double.NaN, e => e.ValidationAccuracy, AxisScale.Covering(Accuracies(history), floor: 0, ceiling: 1).Padded(0.04), legendOnTop: false);
        figure.Save(path);
    }

    private static void DrawPanel(Figure figure, SKRect area, AxisScale epochs, IReadOnlyList<EpochMetrics> history, string quantity,
        Func<EpochMetrics, double> train, Func<EpochMetrics, double?> validation, AxisScale values, bool legendOnTop)
    {
        figure.DrawAxes(area, epochs, values, "epoch", quantity);
        figure.DrawLine(area, epochs, values, history.Select(e => ((double)e.Epoch, train(e))), Figure.Palette[0], markers: true);
        List<(string, SKColor, bool)> legend = [($"train {quantity}", Figure.Palette[0], false)];
        if (history.Any(e => validation(e) is not null))
        {
            var points = history.Where(e => validation(e) is not null).Select(e => ((double)e.Epoch, validation(e)!.Value));
            figure.DrawLine(area, epochs, values, points, Figure.Palette[1], markers: true);
            legend.Add(($"validation {quantity}", Figure.Palette[1], false));
        }
        figure.DrawLegend(area, legend, legendOnTop);
    }

    private static IEnumerable<double> Losses(IReadOnlyList<EpochMetrics> history) =>
        history.Select(e => e.TrainLoss).Concat(history.Where(e => e.ValidationLoss is not null).Select(e => e.ValidationLoss!.Value));

    private static IEnumerable<double> Accuracies(IReadOnlyList<EpochMetrics> history) =>
        history.Where(e => e.TrainAccuracy is not null).Select(e => e.TrainAccuracy!.Value).Concat(history.Where(e => e.ValidationAccuracy is not null).Select(e => e.ValidationAccuracy!.Value));
}
