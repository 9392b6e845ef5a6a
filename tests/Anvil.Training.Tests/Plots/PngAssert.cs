using SkiaSharp;

namespace Anvil.Training.Tests.Plots;

/// <summary>Checks that a plot file is a real, drawn PNG.</summary>
internal static class PngAssert
{
    /// <summary>Runs <paramref name="save"/> on a fresh temp path, checks the PNG it wrote, then deletes it.</summary>
    public static void SavesDrawnPng(Action<string> save, int minWidth, int minHeight)
    {
        var path = TempPath();
        try
        {
            save(path);
            IsDrawnPng(path, minWidth, minHeight);
        }
        finally { File.Delete(path); }
    }

    /// <summary>Decodes the file and asserts it is a PNG of at least the given size holding more than one colour.</summary>
    public static void IsDrawnPng(string path, int minWidth, int minHeight)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 8 && bytes[0] == 0x89 && bytes[1] == (byte)'P', "The file does not start with the PNG signature.");
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= minWidth && bitmap.Height >= minHeight, $"Image is {bitmap.Width} × {bitmap.Height}.");
        var colours = bitmap.Pixels.Distinct().Count();
        Assert.True(colours > 10, $"Image holds only {colours} distinct colours; expected a drawn plot.");
    }

    /// <summary>A fresh path in the temp folder; the caller deletes it.</summary>
    public static string TempPath() => Path.Combine(Path.GetTempPath(), $"anvil-plot-{Guid.NewGuid():N}.png");
}
