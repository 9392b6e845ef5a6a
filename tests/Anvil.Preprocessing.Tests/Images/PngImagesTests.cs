using Anvil.Preprocessing.Images;
using SkiaSharp;

namespace Anvil.Preprocessing.Tests.Images;

/// <summary>Pixel planes in [0, 1] become PNGs whose bytes decode back to round(255·v), alone or in a grid.</summary>
public class PngImagesTests
{
    [Fact]
    public void AGreyImageDecodesBackToItsRoundedBytesWithOutOfRangeValuesClamped()
    {
        float[] pixels = [0f, 0.5f, 1f, -0.3f, 1.7f, float.NaN]; // 2 rows of 3

        using var bitmap = SKBitmap.Decode(PngImages.Encode(pixels, channels: 1, height: 2, width: 3));

        Assert.Equal((3, 2), (bitmap.Width, bitmap.Height));
        byte[] expected = [0, 128, 255, 0, 255, 0];
        for (var i = 0; i < 6; i++)
        {
            var pixel = bitmap.GetPixel(i % 3, i / 3);
            Assert.Equal((expected[i], expected[i], expected[i]), (pixel.Red, pixel.Green, pixel.Blue));
        }
    }

    [Fact]
    public void AGridPlacesImagesInRowsWithGapsAndKeepsRgbPlanes()
    {
        // Three 1x1 RGB images: red, green, blue, two per row, gap 1.
        float[] pixels = [1, 0, 0, 0, 1, 0, 0, 0, 1];

        using var bitmap = SKBitmap.Decode(PngImages.Grid(pixels, count: 3, columns: 2, channels: 3, height: 1, width: 1, gap: 1));

        Assert.Equal((3, 3), (bitmap.Width, bitmap.Height));
        Assert.Equal(SKColors.Red, bitmap.GetPixel(0, 0));
        Assert.Equal(SKColors.Lime, bitmap.GetPixel(2, 0));
        Assert.Equal(SKColors.Blue, bitmap.GetPixel(0, 2));
        Assert.Equal(SKColors.Black, bitmap.GetPixel(1, 0)); // the gap
        Assert.Equal(SKColors.Black, bitmap.GetPixel(2, 2)); // no fourth image
    }

    [Fact]
    public void AWrongValueCountOrChannelCountIsRefused()
    {
        Assert.Contains("Expected 1·1·2·2 = 4 values, got 3", Assert.Throws<ArgumentException>(() => PngImages.Encode(new float[3], 1, 2, 2)).Message);
        Assert.Contains("1 (grey) or 3 (RGB)", Assert.Throws<ArgumentException>(() => PngImages.Encode(new float[8], 2, 2, 2)).Message);
    }
}
