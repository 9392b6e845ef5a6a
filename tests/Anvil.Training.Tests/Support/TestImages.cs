using SkiaSharp;

namespace Anvil.Training.Tests.Support;

/// <summary>Generates small solid-colour PNGs at run time, so no binary images are committed.</summary>
internal static class TestImages
{
    public static byte[] Png(int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        bitmap.Erase(color);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>root/cat: two red 8×6 images; root/dog: two blue 8×6 images.</summary>
    public static void WriteCatsAndDogs(TempDirectory directory)
    {
        directory.Write("cat/1.png", Png(8, 6, SKColors.Red));
        directory.Write("cat/2.png", Png(8, 6, SKColors.Red));
        directory.Write("dog/1.png", Png(8, 6, SKColors.Blue));
        directory.Write("dog/2.png", Png(8, 6, SKColors.Blue));
    }
}
