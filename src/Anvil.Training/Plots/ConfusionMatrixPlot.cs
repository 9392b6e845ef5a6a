using System.Globalization;
using Anvil.Training.Metrics;
using ScottPlot;

namespace Anvil.Training.Plots;

/// <summary>
/// A confusion matrix as a heatmap PNG: rows are true classes, columns predicted classes, each cell
/// shaded by its count (white to dark blue, matplotlib's "Blues") and labelled with it. Class names under the
/// matrix are slanted.
/// </summary>
/// <example>
/// <code>ConfusionMatrixPlot.Save(matrix.Compute(), data.ClassNames, "runs/42/confusion.png");</code>
/// </example>
public static class ConfusionMatrixPlot
{
    /// <summary>Draws the matrix and writes it to <paramref name="path"/> as a PNG (the folder is created if needed).</summary>
    /// <param name="matrix">Counts from <see cref="ConfusionMatrix.Compute"/>.</param>
    /// <param name="classNames">One name per class, in class-index order.</param>
    /// <param name="path">Where to write the PNG.</param>
    public static void Save(ConfusionMatrixResult matrix, IReadOnlyList<string> classNames, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        PlotArguments.CheckClassNames(classNames, matrix.ClassCount, "confusion matrix");
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        var count = matrix.ClassCount;
        var plot = PlotStyle.NewPlot();
        var counts = new double[count, count];
        var max = Math.Max(1, matrix.Counts.Cast<long>().Max());
        for (var t = 0; t < count; t++)
        {
            for (var p = 0; p < count; p++)
                counts[t, p] = matrix[t, p];
        }

        var heatmap = plot.Add.Heatmap(counts); // row 0 on top, cell (t, p) centred on x = p, y = count - 1 - t
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        heatmap.ManualRange = new ScottPlot.Range(0, max);
        plot.Add.ColorBar(heatmap);
        for (var t = 0; t < count; t++)
        {
            for (var p = 0; p < count; p++)
            {
                var label = plot.Add.Text(matrix[t, p].ToString(CultureInfo.InvariantCulture), p, count - 1 - t);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = Math.Clamp(160f / count, 9, 16);
                label.LabelFontColor = matrix[t, p] > max / 2.0 ? Colors.White : Colors.Black;
            }
        }

        var positions = Enumerable.Range(0, count).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, [.. classNames]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 30 + (5.5f * classNames.Max(n => n.Length)); // slanted names: about 0.7 of their width
        plot.Axes.Left.SetTicks(positions.Reverse().ToArray(), [.. classNames]);
        plot.Grid.IsVisible = false;
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.Title(matrix.Total == 0
            ? "Confusion matrix (no samples)"
            : $"Confusion matrix ({matrix.Total} samples, accuracy {(matrix.Accuracy * 100).ToString("F1", CultureInfo.InvariantCulture)}%)");
        var side = (int)Math.Clamp(90 * count, 420, 900);
        PlotStyle.Save(file => plot.SavePng(file, side + 260, side + 140), path);
    }
}
