using Anvil.Preprocessing.Images;
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
            allGrey &= ImagePixels.Copy(resized ?? decoded, values.AsSpan(i * sampleSize, sampleSize), channels, divisor: 255f);
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
        if (ImagePixels.IsPngOrJpeg(codec))
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
        if (codec is null || !ImagePixels.IsPngOrJpeg(codec))
            throw new InvalidDataException($"'{path}' is not a PNG or JPEG image ({(codec is null ? "unknown format" : codec.EncodedFormat)}); remove it from the class folder or convert it.");
        var pixels = (long)codec.Info.Width * codec.Info.Height;
        if (pixels > options.MaxPixels)
            throw new InvalidDataException($"'{path}' is {codec.Info.Width}×{codec.Info.Height} = {pixels} pixels, more than the {options.MaxPixels}-pixel limit; shrink it or raise MaxPixels.");
        var (bitmap, result) = ImagePixels.Decode(codec);
        return bitmap ?? throw new InvalidDataException($"'{path}' could not be decoded ({result}); the file is damaged or truncated.");
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
        try
        {
            return ImagePixels.Resize(bitmap, width, height);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }
}
