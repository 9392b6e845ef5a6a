using System.Globalization;

namespace Anvil.Dashboard.Charts;

/// <summary>Maps data to SVG pixels for a chart of <see cref="Width"/> × <see cref="Height"/> with room for axis labels.</summary>
public sealed record ChartScale(double MinX, double MaxX, double MinY, double MaxY)
{
    public const int Width = 560, Height = 240, Left = 56, Right = 12, Top = 12, Bottom = 32;

    public static ChartScale Of(IEnumerable<(double X, double Y)> points, double? floorY = null)
    {
        var list = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (list.Count == 0)
            return new(0, 1, 0, 1);
        var (minX, maxX) = (list.Min(p => p.X), list.Max(p => p.X));
        var (minY, maxY) = (floorY ?? list.Min(p => p.Y), list.Max(p => p.Y));
        return new(minX, maxX > minX ? maxX : minX + 1, minY, maxY > minY ? maxY : minY + 1);
    }

    public double X(double x) => Left + (x - MinX) / (MaxX - MinX) * (Width - Left - Right);

    public double Y(double y) => Height - Bottom - (y - MinY) / (MaxY - MinY) * (Height - Top - Bottom);

    /// <summary>Five evenly spaced y values from the bottom of the axis to its top.</summary>
    public IEnumerable<double> YTicks() => Enumerable.Range(0, 5).Select(i => MinY + i * (MaxY - MinY) / 4);

    public static string Text(double value) => value.ToString(Math.Abs(value) >= 1000 ? "N0" : "G3", CultureInfo.InvariantCulture);

    public static string Pixel(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
