using Anvil.Registry.Versions;
using Anvil.Serving.Inputs;
using Anvil.Training.Data;
using SkiaSharp;

namespace Anvil.Serving.Tests;

/// <summary>
/// An image uploaded to the server becomes exactly the sample training read from its image folder
/// (after the graph's division by 255): decoding, resizing and the grey or RGB planes have one home.
/// </summary>
public sealed class ImageParityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("anvil-image-parity-").FullName;

    [Theory]
    [InlineData(ImageChannels.Rgb, 37, 23)]
    [InlineData(ImageChannels.Grayscale, 37, 23)]
    [InlineData(ImageChannels.Rgb, 28, 28)]
    public void AnUploadedImageIsTheSampleTrainingReadFromItsFolder(ImageChannels channels, int width, int height)
    {
        var files = new List<byte[]>();
        foreach (var (label, seed) in new[] { ("a", 1), ("b", 2) })
        {
            Directory.CreateDirectory(Path.Combine(_root, label));
            var png = NoisyPng(width, height, seed);
            File.WriteAllBytes(Path.Combine(_root, label, "image.png"), png);
            files.Add(png);
        }

        using var trained = ImageFolderReader.Read(_root, new ImageFolderOptions { Width = 28, Height = 28, Resize = true, Channels = channels });
        var preprocessing = new ModelPreprocessing { Kind = "image", Channels = (int)channels, Height = 28, Width = 28 };
        var served = ImageInputReader.Read([.. files.Select(f => (ReadOnlyMemory<byte>)f)], preprocessing, new ImageLimits(1_000_000, 1_000_000));

        var expected = trained.Features.data<float>().ToArray();
        var samples = Assert.IsType<float[]>(served.Samples);
        Assert.Equal(expected.Length, samples.Length);
        Assert.Equal(expected, samples.Select(v => v / 255f)); // the graph's first node divides by 255
        Assert.Contains(expected, v => v is > 0.05f and < 0.95f);
    }

    private static byte[] NoisyPng(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
