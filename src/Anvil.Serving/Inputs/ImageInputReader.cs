using Anvil.Registry.Versions;
using Anvil.Preprocessing.Images;
using SkiaSharp;

namespace Anvil.Serving.Inputs;

/// <summary>
/// Turns uploaded PNG or JPEG files into samples the way the manifest's preprocessing says:
/// converted to the model's channels, resized to its height and width, raw 0–255 values (scaling and
/// normalisation are inside the graph). Every file's header is read before any pixel is decoded, and
/// the pixels of the whole request are checked against a budget (per image and in sum), so a small file
/// — or many — that inflate to gigapixels cost nothing. Truncated files are refused, not zero-filled.
/// </summary>
public static class ImageInputReader
{
    public static ModelInput Read(IReadOnlyList<ReadOnlyMemory<byte>> files, ModelPreprocessing preprocessing, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(limits);
        if (preprocessing.Kind != "image")
            throw new InputException(415, $"This model takes {(preprocessing.Kind == "series" ? "series windows" : "feature vectors")}, not images; send JSON {{\"inputs\": [...]}}.");
        var sampleSize = checked(preprocessing.Channels * preprocessing.Height * preprocessing.Width);
        var codecs = new List<(SKData Data, SKCodec Codec)>(files.Count);
        try
        {
            var requestPixels = 0L;
            for (var i = 0; i < files.Count; i++)
            {
                var data = SKData.CreateCopy(files[i].Span);
                var codec = SKCodec.Create(data);
                if (codec is null)
                {
                    data.Dispose();
                    throw new InputException(415, $"Image {i} is not a PNG or JPEG file (its first bytes match no image format).");
                }

                codecs.Add((data, codec));
                requestPixels = checked(requestPixels + Check(codec, i, preprocessing, limits));
                if (requestPixels > limits.MaxRequestPixels)
                    throw new InputException(413, $"The images of this request add up to more than {limits.MaxRequestPixels:N0} pixels (after image {i}); the limit per request is {limits.MaxRequestPixels:N0}. Resize them to {preprocessing.Width}×{preprocessing.Height} before sending, or send fewer per request.");
            }

            var samples = Array.Empty<float>();
            for (var i = 0; i < codecs.Count; i++)
            {
                if (samples.Length < checked((i + 1) * sampleSize))
                    Array.Resize(ref samples, checked(Math.Min(codecs.Count, Math.Max(1, 2 * i)) * sampleSize)); // grown as decoding proceeds
                Decode(codecs[i].Codec, preprocessing, i, samples.AsSpan(i * sampleSize, sampleSize));
            }

            return new ModelInput(samples, codecs.Count, sampleSize);
        }
        finally
        {
            foreach (var (data, codec) in codecs)
            {
                codec.Dispose();
                data.Dispose();
            }
        }
    }

    private static long Check(SKCodec codec, int index, ModelPreprocessing preprocessing, ImageLimits limits)
    {
        if (!ImagePixels.IsPngOrJpeg(codec))
            throw new InputException(415, $"Image {index} is {codec.EncodedFormat}; send PNG or JPEG.");
        var pixels = (long)codec.Info.Width * codec.Info.Height;
        if (pixels > limits.MaxImagePixels)
            throw new InputException(413, $"Image {index} is {codec.Info.Width}×{codec.Info.Height} = {pixels:N0} pixels; the limit is {limits.MaxImagePixels:N0}. Resize it to {preprocessing.Width}×{preprocessing.Height} before sending.");
        return pixels;
    }

    private static void Decode(SKCodec codec, ModelPreprocessing preprocessing, int index, Span<float> sample)
    {
        var (decoded, result) = ImagePixels.Decode(codec);
        if (result == SKCodecResult.IncompleteInput)
            throw new InputException(400, $"Image {index} is truncated: the file ends before its last row. Send the whole file.");
        if (decoded is null)
            throw new InputException(400, $"Image {index} could not be decoded ({result}); the file is damaged.");
        using (decoded)
        {
            SKBitmap? resized;
            try
            {
                resized = ImagePixels.Resize(decoded, preprocessing.Width, preprocessing.Height);
            }
            catch (InvalidOperationException)
            {
                throw new InputException(400, $"Image {index} could not be resized to {preprocessing.Width}×{preprocessing.Height}.");
            }
            using (resized)
                ImagePixels.Copy(resized ?? decoded, sample, preprocessing.Channels, divisor: 1f); // raw 0–255: the graph scales
        }
    }
}
