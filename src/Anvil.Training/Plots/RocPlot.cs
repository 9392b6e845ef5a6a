using System.Globalization;
using Anvil.Training.Metrics;
using ScottPlot;

namespace Anvil.Training.Plots;

/// <summary>
/// One-vs-rest ROC curve of every class with its AUC in the legend and the diagonal chance line, as a PNG.
/// A class whose AUC is undefined (no positive or no negative sample) has no curve and "AUC n/a" in the legend.
/// </summary>
/// <example>
/// <code>RocPlot.Save(rocCurves.Compute(), data.ClassNames, "runs/42/roc.png");</code>
/// </example>
public static class RocPlot
{
    private const int Width = 760, Height = 700;

    /// <summary>Draws the curves and writes them to <paramref name="path"/> as a PNG (the folder is created if needed).</summary>
    /// <param name="roc">Curves from <see cref="RocCurves.Compute"/>.</param>
    /// <param name="classNames">One name per class, in class-index order.</param>
    /// <param name="path">Where to write the PNG.</param>
    public static void Save(RocResult roc, IReadOnlyList<string> classNames, string path)
    {
        ArgumentNullException.ThrowIfNull(roc);
        PlotArguments.CheckClassNames(classNames, roc.Classes.Count, "ROC result");
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        var plot = PlotStyle.NewPlot();
        for (var c = 0; c < roc.Classes.Count; c++)
        {
            var curve = roc.Classes[c];
            var line = plot.Add.ScatterLine(curve.Fpr.ToArray(), curve.Tpr.ToArray(), PlotStyle.Palette.GetColor(c));
            line.LegendText = $"{classNames[c]} (AUC {Auc(curve.Auc)})";
        }

        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.Color = PlotStyle.Chance;
        chance.LinePattern = LinePattern.Dashed;
        chance.LegendText = "chance (AUC 0.500)";
        plot.Axes.SetLimits(-0.015, 1.015, -0.015, 1.015);
        plot.XLabel("false positive rate");
        plot.YLabel("true positive rate");
        plot.Title($"ROC curves, one-vs-rest (macro AUC {Auc(roc.MacroAuc)})");
        plot.ShowLegend(Alignment.LowerRight);
        PlotStyle.Save(file => plot.SavePng(file, Width, Height), path);
    }

    private static string Auc(double auc) => double.IsNaN(auc) ? "n/a" : auc.ToString("F3", CultureInfo.InvariantCulture);
}
