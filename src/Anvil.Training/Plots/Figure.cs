using SkiaSharp;

namespace Anvil.Training.Plots;

/// <summary>
/// Drawing shared by every plot: a white canvas with a title, text in a file-loaded typeface,
/// axes with ticks, lines, a legend, PNG output. Pixel coordinates, origin top-left.
/// </summary>
internal sealed class Figure : IDisposable
{
    /// <summary>matplotlib's "tab10" colours, so plots look familiar.</summary>
    public static readonly SKColor[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28), new(0x94, 0x67, 0xbd),
        new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f), new(0xbc, 0xbd, 0x22), new(0x17, 0xbe, 0xcf),
    ];

    // SkiaSharp's NoDependencies native asset has no fontconfig, so a typeface must come from a file.
    private static readonly string[] s_fontPaths =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ];

    private static readonly Lazy<SKTypeface> s_typeface = new(() =>
        s_fontPaths.Where(File.Exists).Select(path => SKTypeface.FromFile(path)).FirstOrDefault(face => face is not null) ?? SKTypeface.Default);

    private static readonly SKPathEffect s_dash = SKPathEffect.CreateDash([7, 5], 0);

    private readonly SKBitmap _bitmap;

    public Figure(int width, int height, string title)
    {
        _bitmap = new SKBitmap(width, height);
        Canvas = new SKCanvas(_bitmap);
        Canvas.Clear(SKColors.White);
        DrawText(title, width / 2f, 34, 20, SKTextAlign.Center);
    }

    public SKCanvas Canvas { get; }

    public static float MeasureText(string text, float size)
    {
        using var font = new SKFont(s_typeface.Value, size);
        return font.MeasureText(text);
    }

    /// <summary>Draws text with its baseline at y, optionally rotated by <paramref name="degrees"/> about (x, y).</summary>
    public void DrawText(string text, float x, float y, float size, SKTextAlign align = SKTextAlign.Left, SKColor? color = null, float degrees = 0)
    {
        using var font = new SKFont(s_typeface.Value, size);
        using var paint = new SKPaint { Color = color ?? SKColors.Black, IsAntialias = true };
        Canvas.Save();
        Canvas.RotateDegrees(degrees, x, y);
        Canvas.DrawText(text, x, y, align, font, paint);
        Canvas.Restore();
    }

    /// <summary>Frame, light grid, ticks with numbers and axis titles around <paramref name="area"/>.</summary>
    public void DrawAxes(SKRect area, AxisScale x, AxisScale y, string xTitle, string yTitle)
    {
        using var grid = new SKPaint { Color = new SKColor(0xe6, 0xe6, 0xe6), StrokeWidth = 1 };
        using var ink = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        var widestYLabel = 0f;
        foreach (var tick in x.Ticks())
        {
            var px = x.Map(tick, area.Left, area.Right);
            Canvas.DrawLine(px, area.Top, px, area.Bottom, grid);
            Canvas.DrawLine(px, area.Bottom, px, area.Bottom + 5, ink);
            DrawText(x.Format(tick), px, area.Bottom + 21, 13, SKTextAlign.Center);
        }
        foreach (var tick in y.Ticks())
        {
            var py = y.Map(tick, area.Bottom, area.Top);
            Canvas.DrawLine(area.Left, py, area.Right, py, grid);
            Canvas.DrawLine(area.Left - 5, py, area.Left, py, ink);
            DrawText(y.Format(tick), area.Left - 8, py + 5, 13, SKTextAlign.Right);
            widestYLabel = Math.Max(widestYLabel, MeasureText(y.Format(tick), 13));
        }
        Canvas.DrawRect(area, ink);
        DrawText(xTitle, area.MidX, area.Bottom + 46, 15, SKTextAlign.Center);
        DrawText(yTitle, area.Left - widestYLabel - 20, area.MidY, 15, SKTextAlign.Center, degrees: -90);
    }

    /// <summary>A polyline through the data points, clipped to the area; points with a NaN coordinate are skipped.</summary>
    public void DrawLine(SKRect area, AxisScale x, AxisScale y, IEnumerable<(double X, double Y)> points, SKColor color, bool dashed = false, bool markers = false)
    {
        using var path = new SKPath();
        using var paint = LinePaint(color, dashed);
        using var dot = new SKPaint { Color = color, IsAntialias = true };
        foreach (var (dataX, dataY) in points.Where(p => !double.IsNaN(p.X) && !double.IsNaN(p.Y)))
        {
            var point = new SKPoint(x.Map(dataX, area.Left, area.Right), y.Map(dataY, area.Bottom, area.Top));
            if (path.IsEmpty) path.MoveTo(point);
            else path.LineTo(point);
            if (markers) Canvas.DrawCircle(point, 3.5f, dot);
        }
        Canvas.Save();
        Canvas.ClipRect(area);
        Canvas.DrawPath(path, paint);
        Canvas.Restore();
    }

    /// <summary>A boxed legend in the bottom-right or top-right corner of the area.</summary>
    public void DrawLegend(SKRect area, IReadOnlyList<(string Label, SKColor Color, bool Dashed)> entries, bool top)
    {
        const float size = 13, rowHeight = 20, sample = 26, padding = 8;
        var width = padding * 3 + sample + entries.Max(e => MeasureText(e.Label, size));
        var height = padding * 2 + rowHeight * entries.Count;
        var box = SKRect.Create(area.Right - width - 10, top ? area.Top + 10 : area.Bottom - height - 10, width, height);
        using var fill = new SKPaint { Color = SKColors.White.WithAlpha(230) };
        using var border = new SKPaint { Color = new SKColor(0xcc, 0xcc, 0xcc), Style = SKPaintStyle.Stroke, IsAntialias = true };
        Canvas.DrawRoundRect(box, 4, 4, fill);
        Canvas.DrawRoundRect(box, 4, 4, border);
        for (var i = 0; i < entries.Count; i++)
        {
            var (label, color, dashed) = entries[i];
            var midY = box.Top + padding + rowHeight * (i + 0.5f);
            using var paint = LinePaint(color, dashed);
            Canvas.DrawLine(box.Left + padding, midY, box.Left + padding + sample, midY, paint);
            DrawText(label, box.Left + padding * 2 + sample, midY + 5, size);
        }
    }

    /// <summary>Writes the canvas as a PNG, creating the folder if needed.</summary>
    public void Save(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        using var image = SKImage.FromBitmap(_bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var stream = File.Create(path);
        png.SaveTo(stream);
    }

    public void Dispose()
    {
        Canvas.Dispose();
        _bitmap.Dispose();
    }

    private static SKPaint LinePaint(SKColor color, bool dashed) => new()
    {
        Color = color, StrokeWidth = 2.2f, Style = SKPaintStyle.Stroke, IsAntialias = true,
        PathEffect = dashed ? s_dash : null,
    };
}
