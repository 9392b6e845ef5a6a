using SkiaSharp;

namespace Anvil.Preprocessing.Images;

/// <summary>
/// How an image file becomes a (C, H, W) sample, the same for training's image folders and serving's
/// uploads: PNG or JPEG only, decoded to 8-bit RGBA (alpha ignored), resized bilinearly, then one
/// grey plane (ITU-R BT.601 luma, as PIL's "L" mode) or three planes R, G, B. Training divides the
/// values by 255; serving sends raw 0–255 values to a graph that divides by 255 itself, which gives
/// the same float32 bits. Callers check sizes and phrase errors; these methods never throw on bad files.
/// </summary>
/// <example>
/// <code>
/// using var codec = SKCodec.Create(data);
/// var (bitmap, result) = ImagePixels.Decode(codec);
/// using var resized = ImagePixels.Resize(bitmap!, 28, 28);
/// ImagePixels.Copy(resized ?? bitmap!, sample, channels: 1, divisor: 255f);
/// </code>
/// </example>
public static class ImagePixels
{
    /// <summary>True for the formats Anvil reads: PNG and JPEG (by content, not by name).</summary>
    public static bool IsPngOrJpeg(SKCodec? codec) => codec?.EncodedFormat is SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg;

    /// <summary>
    /// Decodes every pixel to 8-bit RGBA, alpha not premultiplied. The bitmap is null unless the result
    /// is <see cref="SKCodecResult.Success"/>; <see cref="SKCodecResult.IncompleteInput"/> means a truncated file.
    /// </summary>
    public static (SKBitmap? Bitmap, SKCodecResult Result) Decode(SKCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.Success)
            return (bitmap, result);
        bitmap.Dispose();
        return (null, result);
    }

    /// <summary>The bitmap resized bilinearly to <paramref name="width"/>×<paramref name="height"/>; null when it already has that size.</summary>
    /// <exception cref="InvalidOperationException">SkiaSharp could not resize it.</exception>
    public static SKBitmap? Resize(SKBitmap bitmap, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.Width == width && bitmap.Height == height)
            return null;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        return bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new InvalidOperationException($"The image could not be resized from {bitmap.Width}×{bitmap.Height} to {width}×{height}.");
    }

    /// <summary>
    /// Writes one (C, H, W) sample of the RGBA bitmap's values divided by <paramref name="divisor"/>:
    /// one luma plane for <paramref name="channels"/> 1, planes R, G, B for 3. Returns true when every
    /// pixel is grey (R = G = B), so a reader can keep one plane for a folder of grey images.
    /// </summary>
    public static bool Copy(SKBitmap bitmap, Span<float> sample, int channels, float divisor)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image sample has 1 (grey) or 3 (R, G, B) channels.");
        var (width, height, plane) = (bitmap.Width, bitmap.Height, bitmap.Width * bitmap.Height);
        ArgumentOutOfRangeException.ThrowIfNotEqual(sample.Length, channels * plane, nameof(sample));
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        var grey = true;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = (y * bitmap.RowBytes) + (x * 4);
                var (r, g, b) = (rgba[p], rgba[p + 1], rgba[p + 2]);
                grey &= r == g && g == b;
                var at = (y * width) + x;
                if (channels == 1)
                {
                    sample[at] = ((0.299f * r) + (0.587f * g) + (0.114f * b)) / divisor;
                    continue;
                }
                sample[at] = r / divisor;
                sample[plane + at] = g / divisor;
                sample[(2 * plane) + at] = b / divisor;
            }
        }
        return grey;
    }
}
