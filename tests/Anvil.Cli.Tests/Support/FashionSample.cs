using System.IO.Compression;

namespace Anvil.Cli.Tests.Support;

/// <summary>The committed 512-image Fashion-MNIST sample as whole 0–255 pixel values and labels, as a client sends them.</summary>
internal static class FashionSample
{
    private static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "fashion-mnist-sample");

    /// <summary>The first <paramref name="count"/> images as [1][28][28] arrays; <paramref name="inverted"/> gives 255 − v (a shifted distribution).</summary>
    public static int[][][][] Images(int count, bool inverted = false)
    {
        var bytes = Read("t10k-images-idx3-ubyte.gz", 16, count * 28 * 28);
        return Enumerable.Range(0, count).Select(i => new[]
        {
            Enumerable.Range(0, 28).Select(y => Enumerable.Range(0, 28).Select(x =>
            {
                var v = (int)bytes[i * 784 + y * 28 + x];
                return inverted ? 255 - v : v;
            }).ToArray()).ToArray(),
        }).ToArray();
    }

    public static int[] Labels(int count) => Read("t10k-labels-idx1-ubyte.gz", 8, count).Select(b => (int)b).ToArray();

    private static byte[] Read(string file, int header, int length)
    {
        using var stream = File.OpenRead(Path.Combine(Directory, file));
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        var bytes = new byte[header + length];
        gzip.ReadExactly(bytes);
        return bytes[header..];
    }
}
