using SkiaSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>
/// Reads a folder of PNG and JPEG images laid out as <c>root/&lt;class&gt;/&lt;image&gt;</c> into an
/// (N, C, H, W) float32 <see cref="TensorDataset"/> with values in [0, 1]. Class names are the
/// sub-folder names sorted ordinally; files are read in ordinal order, so the result is the same
/// on every machine. Each file's size and its pixel count (from the codec header, before any
/// pixel is decoded) are checked against the limits in <see cref="ImageFolderOptions"/>.
/// </summary>
/// <example>
/// <code>
/// using var data = ImageFolderReader.Read("pets", new ImageFolderOptions { Width = 64, Height = 64, Resize = true });
/// </code>
/// </example>
public static class ImageFolderReader
{
    /// <summary>Reads every image under <paramref name="root"/>; hidden files (".name") are skipped.</summary>
    public static TensorDataset Read(string root, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        options ??= new ImageFolderOptions();
        if (options.Width is { } w) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(w, nameof(options.Width));
        if (options.Height is { } h) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h, nameof(options.Height));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxFileBytes, nameof(options.MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPixels, nameof(options.MaxPixels));

        var (classNames, files) = ListFiles(root, options.OnSkippedFile);
        var width = options.Width;
        var height = options.Height;
        // Without a chosen channel count, read RGB and keep one plane when every image turns out grey.
        var read = options.Channels ?? ImageChannels.Rgb;
        var channels = (int)read;
        var allGrey = true;
        float[]? values = null;
        for (var i = 0; i < files.Count; i++)
        {
            using var decoded = Decode(files[i].Path, options);
            width ??= decoded.Width;
            height ??= decoded.Height;
            using var resized = ResizeIfNeeded(decoded, files[i].Path, width.Value, height.Value, options.Resize);
            var sampleSize = checked(channels * width.Value * height.Value);
            values ??= Allocate(root, files.Count, sampleSize);
            allGrey &= CopyPixels(resized ?? decoded, values.AsSpan(i * sampleSize, sampleSize), read);
        }
        var labels = files.Select(f => f.Label).ToArray();
        var features = tensor(values!, [files.Count, channels, height!.Value, width!.Value]); // (N, C, H, W)
        if (options.Channels is null && allGrey)
        {
            using var rgb = features;
            features = rgb.narrow(1, 0, 1).contiguous(); // (N, 1, H, W): R = G = B, so one plane holds it all
        }
        return new TensorDataset(features, tensor(labels, [labels.LongLength]), classNames); // (N)
    }

    private static (List<string> ClassNames, List<(string Path, long Label)> Files) ListFiles(string root, Action<string>? onSkipped)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Image folder '{root}' does not exist; expected a folder with one sub-folder of images per class.");
        var classDirectories = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToList();
        if (classDirectories.Count < 2)
            throw new InvalidDataException($"'{root}' has {classDirectories.Count} sub-folders; expected one sub-folder per class and at least 2 classes, e.g. '{root}/cat' and '{root}/dog'.");
        var files = new List<(string, long)>();
        for (var label = 0; label < classDirectories.Count; label++)
        {
            var images = Directory.GetFiles(classDirectories[label])
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .Where(f => onSkipped is null || IsImage(f, onSkipped))
                .ToList();
            if (images.Count == 0)
                throw new InvalidDataException($"Class folder '{classDirectories[label]}' holds no images; add PNG or JPEG files or remove the folder.");
            files.AddRange(images.Select(f => (f, (long)label)));
        }
        return ([.. classDirectories.Select(d => Path.GetFileName(d)!)], files);
    }

    /// <summary>True for a PNG or JPEG file (by its content, not its name); otherwise reports the skipped file.</summary>
    private static bool IsImage(string path, Action<string> onSkipped)
    {
        using var stream = File.OpenRead(path);
        using var codec = SKCodec.Create(stream);
        if (codec?.EncodedFormat is SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg)
            return true;
        onSkipped($"warning: skipped '{path}': not a PNG or JPEG image.");
        return false;
    }

    /// <summary>Decodes to 8-bit RGBA (alpha not premultiplied, then ignored) after checking the limits.</summary>
    private static SKBitmap Decode(string path, ImageFolderOptions options)
    {
        var bytes = new FileInfo(path).Length;
        if (bytes > options.MaxFileBytes)
            throw new InvalidDataException($"'{path}' is {bytes} bytes, larger than the {options.MaxFileBytes}-byte limit; shrink it or raise MaxFileBytes.");
        using var stream = File.OpenRead(path);
        using var codec = SKCodec.Create(stream);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
            throw new InvalidDataException($"'{path}' is not a PNG or JPEG image ({(codec is null ? "unknown format" : codec.EncodedFormat)}); remove it from the class folder or convert it.");
        var pixels = (long)codec.Info.Width * codec.Info.Height;
        if (pixels > options.MaxPixels)
            throw new InvalidDataException($"'{path}' is {codec.Info.Width}×{codec.Info.Height} = {pixels} pixels, more than the {options.MaxPixels}-pixel limit; shrink it or raise MaxPixels.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidDataException($"'{path}' could not be decoded ({decoded}); the file is damaged or truncated.");
        }
        return bitmap;
    }

    private static float[] Allocate(string root, int count, int sampleSize) =>
        (long)count * sampleSize <= Array.MaxLength
            ? new float[count * sampleSize]
            : throw new InvalidDataException($"'{root}' holds {count} images of {sampleSize} values each, more than one array can hold; use smaller images or fewer files.");

    /// <summary>Null when the bitmap already has the expected size.</summary>
    private static SKBitmap? ResizeIfNeeded(SKBitmap bitmap, string path, int width, int height, bool resize)
    {
        if (bitmap.Width == width && bitmap.Height == height)
            return null;
        if (!resize)
            throw new InvalidDataException(
                $"'{path}' is {bitmap.Width}×{bitmap.Height} pixels but {width}×{height} (width×height) was expected; " +
                $"resize the image, or resize every image on load with --resize {width}x{height} (recipe field \"resize\").");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        return bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new InvalidDataException($"'{path}' could not be resized from {bitmap.Width}×{bitmap.Height} to {width}×{height}.");
    }

    /// <summary>Writes one (C, H, W) sample from an RGBA bitmap, scaled to [0, 1]; true when every pixel is grey (R = G = B).</summary>
    private static bool CopyPixels(SKBitmap bitmap, Span<float> sample, ImageChannels channels)
    {
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        var grey = true;
        var (width, height, plane) = (bitmap.Width, bitmap.Height, bitmap.Width * bitmap.Height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = (y * bitmap.RowBytes) + (x * 4);
                var (r, g, b) = (rgba[p], rgba[p + 1], rgba[p + 2]);
                grey &= r == g && g == b;
                var at = (y * width) + x;
                if (channels == ImageChannels.Grayscale)
                {
                    sample[at] = ((0.299f * r) + (0.587f * g) + (0.114f * b)) / 255f;
                    continue;
                }
                sample[at] = r / 255f;
                sample[plane + at] = g / 255f;
                sample[(2 * plane) + at] = b / 255f;
            }
        }
        return grey;
    }
}
