using Anvil.Training.Metrics;
using SkiaSharp;

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

        var macro = double.IsNaN(roc.MacroAuc) ? "n/a" : roc.MacroAuc.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
        using var figure = new Figure(Width, Height, $"ROC curves, one-vs-rest (macro AUC {macro})");
        var area = SKRect.Create(90, 70, 620, 540);
        var unit = new AxisScale(0, 1, 0.2).Padded(0.015); // keeps curves on 0 and 1 off the frame
        figure.DrawAxes(area, unit, unit, "false positive rate", "true positive rate");
        figure.DrawLine(area, unit, unit, [(0, 0), (1, 1)], new SKColor(0x99, 0x99, 0x99), dashed: true);

        List<(string, SKColor, bool)> legend = [];
        for (var c = 0; c < roc.Classes.Count; c++)
        {
            var curve = roc.Classes[c];
            var color = Figure.Palette[c % Figure.Palette.Length];
            figure.DrawLine(area, unit, unit, curve.Fpr.Zip(curve.Tpr), color);
            var auc = double.IsNaN(curve.Auc) ? "n/a" : curve.Auc.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            legend.Add(($"{classNames[c]} (AUC {auc})", color, false));
        }
        legend.Add(("chance (AUC 0.500)", new SKColor(0x99, 0x99, 0x99), true));
        figure.DrawLegend(area, legend, top: false);
        figure.Save(path);
    }
}
