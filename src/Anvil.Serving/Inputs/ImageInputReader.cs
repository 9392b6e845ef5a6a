using Anvil.Registry.Versions;
using SkiaSharp;

namespace Anvil.Serving.Inputs;

/// <summary>
/// Turns uploaded PNG or JPEG files into samples the way the manifest's preprocessing says:
/// converted to the model's channels, resized to its height and width, raw 0–255 values (scaling and
/// normalisation are inside the graph). The pixel count is read from the header and checked before
/// anything is decoded, so a small file that inflates to gigapixels costs nothing.
/// </summary>
public static class ImageInputReader
{
    public static ModelInput Read(IReadOnlyList<ReadOnlyMemory<byte>> files, ModelPreprocessing preprocessing, long maxPixels)
    {
        if (preprocessing.Kind != "image")
            throw new InputException(415, "This model takes feature vectors, not images; send JSON {\"inputs\": [...]}.");
        var sampleSize = preprocessing.Channels * preprocessing.Height * preprocessing.Width;
        var samples = new float[files.Count * sampleSize];
        for (var i = 0; i < files.Count; i++)
            Decode(files[i], preprocessing, maxPixels, i, samples.AsSpan(i * sampleSize, sampleSize));
        return new ModelInput(samples, files.Count, sampleSize);
    }

    private static void Decode(ReadOnlyMemory<byte> file, ModelPreprocessing preprocessing, long maxPixels, int index, Span<float> sample)
    {
        using var data = SKData.CreateCopy(file.Span);
        using var codec = SKCodec.Create(data)
            ?? throw new InputException(415, $"Image {index} is not a PNG or JPEG file (its first bytes match no image format).");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
            throw new InputException(415, $"Image {index} is {codec.EncodedFormat}; send PNG or JPEG.");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > maxPixels)
            throw new InputException(413, $"Image {index} is {width}×{height} = {(long)width * height:N0} pixels; the limit is {maxPixels:N0}. Resize it to {preprocessing.Width}×{preprocessing.Height} before sending.");

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new InputException(400, $"Image {index} could not be decoded ({result}); the file is damaged.");

        var target = new SKImageInfo(preprocessing.Width, preprocessing.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = decoded.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new InputException(400, $"Image {index} could not be resized to {preprocessing.Width}×{preprocessing.Height}.");
        var pixels = resized.GetPixelSpan();
        var plane = preprocessing.Width * preprocessing.Height;
        for (var p = 0; p < plane; p++)
        {
            float r = pixels[4 * p], g = pixels[4 * p + 1], b = pixels[4 * p + 2];
            if (preprocessing.Channels == 1)
            {
                sample[p] = 0.299f * r + 0.587f * g + 0.114f * b; // ITU-R BT.601 luma, as PIL's "L" mode
            }
            else
            {
                sample[p] = r;
                sample[plane + p] = g;
                sample[2 * plane + p] = b;
            }
        }
    }
}
