using Anvil.Training.Metrics;
using SkiaSharp;

namespace Anvil.Training.Plots;

/// <summary>
/// A confusion matrix as a heatmap PNG: rows are true classes, columns predicted classes, each cell
/// shaded by its count (white to dark blue) and labelled with it. Long class names are slanted.
/// </summary>
/// <example>
/// <code>ConfusionMatrixPlot.Save(matrix.Compute(), data.ClassNames, "runs/42/confusion.png");</code>
/// </example>
public static class ConfusionMatrixPlot
{
    private const float LabelSize = 13, Top = 70;
    private static readonly SKColor s_light = new(0xf7, 0xfb, 0xff), s_dark = new(0x08, 0x30, 0x6b); // matplotlib "Blues"

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
        var cell = Math.Clamp(520f / count, 28, 90);
        var widestName = classNames.Max(name => Figure.MeasureText(name, LabelSize));
        var slanted = widestName > cell - 6;
        var left = 56 + widestName;
        var bottom = 60 + (slanted ? widestName * 0.71f + 8 : LabelSize + 8);
        var title = matrix.Total == 0
            ? "Confusion matrix (no samples)"
            : $"Confusion matrix ({matrix.Total} samples, accuracy {(matrix.Accuracy * 100).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}%)";
        const float colorBar = 110;
        var width = (int)Math.Max(left + cell * count + colorBar, Figure.MeasureText(title, 20) + 40);
        left += (width - (left + cell * count + colorBar)) / 2; // centre the matrix under a wider title
        var grid = SKRect.Create(left, Top, cell * count, cell * count);

        using var figure = new Figure(width, (int)(Top + grid.Height + bottom), title);
        var max = Math.Max(1, matrix.Counts.Cast<long>().Max());
        using var fill = new SKPaint();
        for (var t = 0; t < count; t++)
        {
            for (var p = 0; p < count; p++)
            {
                var shade = (float)matrix[t, p] / max;
                fill.Color = Blend(shade);
                var box = SKRect.Create(grid.Left + p * cell, grid.Top + t * cell, cell, cell);
                figure.Canvas.DrawRect(box, fill);
                figure.DrawText(matrix[t, p].ToString(System.Globalization.CultureInfo.InvariantCulture), box.MidX, box.MidY + cell * 0.11f,
                    Math.Clamp(cell * 0.3f, 9, 16), SKTextAlign.Center, shade > 0.5f ? SKColors.White : SKColors.Black);
            }
        }
        DrawLabels(figure, grid, cell, classNames, slanted);
        DrawColorBar(figure, SKRect.Create(grid.Right + 24, grid.Top, 18, grid.Height), max);
        figure.Save(path);
    }

    private static void DrawLabels(Figure figure, SKRect grid, float cell, IReadOnlyList<string> classNames, bool slanted)
    {
        for (var c = 0; c < classNames.Count; c++)
        {
            var middle = c * cell + cell / 2;
            figure.DrawText(classNames[c], grid.Left - 8, grid.Top + middle + 5, LabelSize, SKTextAlign.Right);
            if (slanted) // text ends under its column and runs down-left at 45°
                figure.DrawText(classNames[c], grid.Left + middle + 4, grid.Bottom + 14, LabelSize, SKTextAlign.Right, degrees: -45);
            else
                figure.DrawText(classNames[c], grid.Left + middle, grid.Bottom + 20, LabelSize, SKTextAlign.Center);
        }
        var namesBelow = slanted ? classNames.Max(n => Figure.MeasureText(n, LabelSize)) * 0.71f + 22 : LabelSize + 14;
        figure.DrawText("predicted", grid.MidX, grid.Bottom + namesBelow + 26, 15, SKTextAlign.Center);
        var namesLeft = classNames.Max(n => Figure.MeasureText(n, LabelSize));
        figure.DrawText("true", grid.Left - namesLeft - 22, grid.MidY, 15, SKTextAlign.Center, degrees: -90);
    }

    private static void DrawColorBar(Figure figure, SKRect bar, long max)
    {
        using var gradient = SKShader.CreateLinearGradient(new SKPoint(0, bar.Bottom), new SKPoint(0, bar.Top), [s_light, s_dark], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = gradient };
        using var border = new SKPaint { Color = SKColors.Gray, Style = SKPaintStyle.Stroke };
        figure.Canvas.DrawRect(bar, paint);
        figure.Canvas.DrawRect(bar, border);
        figure.DrawText("0", bar.Right + 6, bar.Bottom, LabelSize);
        figure.DrawText(max.ToString(System.Globalization.CultureInfo.InvariantCulture), bar.Right + 6, bar.Top + LabelSize, LabelSize);
    }

    private static SKColor Blend(float t) => new(
        (byte)(s_light.Red + (s_dark.Red - s_light.Red) * t),
        (byte)(s_light.Green + (s_dark.Green - s_light.Green) * t),
        (byte)(s_light.Blue + (s_dark.Blue - s_light.Blue) * t));
}
