using SkiaSharp;

namespace Anvil.Preprocessing.Images;

/// <summary>
/// The reverse of <see cref="ImagePixels"/>: planes of pixel values in [0, 1] (one grey plane, or R, G, B) become
/// a PNG, alone or as a grid of many (a generator's samples). Values outside [0, 1] are clamped; a value v becomes
/// the byte round(255·v). The same code writes training's sample grids and serving's generated images.
/// </summary>
/// <example>
/// <code>byte[] png = PngImages.Encode(pixels, channels: 1, height: 28, width: 28); // pixels: C·H·W floats</code>
/// </example>
public static class PngImages
{
    /// <summary>One image as PNG bytes.</summary>
    /// <param name="pixels">channels·height·width values in [0, 1], plane after plane (C, H, W).</param>
    /// <param name="channels">1 (grey) or 3 (R, G, B).</param>
    public static byte[] Encode(ReadOnlySpan<float> pixels, int channels, int height, int width) =>
        Grid(pixels, count: 1, columns: 1, channels, height, width, gap: 0);

    /// <summary>Images laid out in rows of <paramref name="columns"/>, separated by <paramref name="gap"/> black pixels, as PNG bytes.</summary>
    /// <param name="pixels">count·channels·height·width values in [0, 1], image after image (N, C, H, W).</param>
    public static byte[] Grid(ReadOnlySpan<float> pixels, int count, int columns, int channels, int height, int width, int gap = 2)
    {
        if (channels is not (1 or 3))
            throw new ArgumentException($"An image has 1 (grey) or 3 (RGB) channels, got {channels}.", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        var plane = checked(height * width);
        if (pixels.Length != checked(count * channels * plane))
            throw new ArgumentException($"Expected {count}·{channels}·{height}·{width} = {(long)count * channels * plane} values, got {pixels.Length}.", nameof(pixels));
        var rows = (count + columns - 1) / columns;
        columns = Math.Min(columns, count);
        using var bitmap = new SKBitmap(new SKImageInfo(columns * width + (columns - 1) * gap, rows * height + (rows - 1) * gap, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.Black);
        for (var n = 0; n < count; n++)
        {
            var (left, top) = (n % columns * (width + gap), n / columns * (height + gap));
            var image = pixels.Slice(n * channels * plane, channels * plane);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var i = y * width + x;
                    var (r, g, b) = channels == 1 ? (Byte(image[i]), Byte(image[i]), Byte(image[i])) : (Byte(image[i]), Byte(image[plane + i]), Byte(image[2 * plane + i]));
                    bitmap.SetPixel(left + x, top + y, new SKColor(r, g, b));
                }
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte Byte(float value) => (byte)Math.Round(Math.Clamp(float.IsNaN(value) ? 0 : value, 0f, 1f) * 255f);
}
