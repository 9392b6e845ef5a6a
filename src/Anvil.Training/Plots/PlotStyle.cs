using ScottPlot;

namespace Anvil.Training.Plots;

/// <summary>What every plot shares: a typeface loaded from a file, matplotlib's colours, PNG output.</summary>
internal static class PlotStyle
{
    /// <summary>matplotlib's "tab10" colours, so plots look familiar.</summary>
    public static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public static readonly Color Chance = Color.FromHex("#999999");

    // SkiaSharp's NoDependencies native asset has no fontconfig, so the typeface must come from a file.
    private static readonly string[] FontPaths =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ];

    private const string FontName = "Anvil Sans";

    // Null when no font file is found: ScottPlot's own fallback (.ci/run and the README install fonts-dejavu-core).
    private static readonly Lazy<string?> Font = new(() =>
    {
        var path = FontPaths.FirstOrDefault(File.Exists);
        if (path is null)
            return null;
        Fonts.AddFontFile(FontName, path);
        return FontName;
    });

    /// <summary>A plot whose every text uses the shared typeface.</summary>
    public static Plot NewPlot() => Styled(new Plot());

    /// <summary>A row of plots side by side with the shared typeface.</summary>
    public static Multiplot NewRow(int count)
    {
        var row = new Multiplot();
        row.AddPlots(count);
        foreach (var plot in row.GetPlots())
            Styled(plot);
        row.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return row;
    }

    private static Plot Styled(Plot plot)
    {
        if (Font.Value is { } name)
            plot.Font.Set(name);
        return plot;
    }

    /// <summary>Writes a PNG, creating its folder.</summary>
    public static void Save(Action<string> savePng, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        savePng(path);
    }
}
