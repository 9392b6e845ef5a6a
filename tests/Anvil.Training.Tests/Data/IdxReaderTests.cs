using System.Buffers.Binary;
using System.IO.Compression;
using Anvil.Training.Data;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data;

public class IdxReaderTests
{
    [Fact]
    public void SampleReadsAs512GrayscaleImagesInUnitRangeWithTheKnownLabelHistogram()
    {
        using var data = IdxReader.ReadDataset(TestFiles.SampleImages, TestFiles.SampleLabels, FashionMnist.ClassNames);

        Assert.Equal(new long[] { 512, 1, 28, 28 }, data.Features.shape);
        Assert.Equal(0f, data.Features.min().item<float>());
        Assert.Equal(1f, data.Features.max().item<float>());
        Assert.Equal(TestFiles.SampleLabelHistogram, data.Labels.bincount(null, 10).data<long>().ToArray());
    }

    [Fact]
    public void RawFileReadsTheSameAsItsGzippedCopy()
    {
        using var directory = new TempDirectory();
        var raw = directory.Write("images-without-extension.gz", Decompress(TestFiles.SampleImages));

        using var fromRaw = IdxReader.ReadImages(raw);
        using var fromGzip = IdxReader.ReadImages(TestFiles.SampleImages);

        Assert.True(fromRaw.allclose(fromGzip, rtol: 0, atol: 0));
    }

    [Fact]
    public void TruncatedFileIsRejectedWithExpectedAndActualByteCounts()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("truncated-images", ImagesFile(count: 2, rows: 28, cols: 28, payloadBytes: 1000));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("1568", error.Message); // 2 × 28 × 28
        Assert.Contains("1000", error.Message);
    }

    [Fact]
    public void TruncatedGzippedFileIsRejectedWithExpectedAndActualByteCounts()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("truncated.gz", Compress(ImagesFile(count: 3, rows: 2, cols: 2, payloadBytes: 7)));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("3 × 2 × 2 = 12 bytes", error.Message);
        Assert.Contains("holds 7", error.Message);
    }

    [Fact]
    public void CorruptGzipIsRejectedNamingTheFile()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("corrupt.gz", [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x03, 0xff, 0xff, 0xff]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains($"'{path}' is not a valid gzip file", error.Message);
    }

    [Fact]
    public void LabelFilePassedAsImagesIsRejectedNamingBothMagics()
    {
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(TestFiles.SampleLabels));

        Assert.Contains("0x00000801", error.Message);
        Assert.Contains("0x00000803", error.Message);
    }

    [Fact]
    public void ImageAndLabelCountMismatchIsRejected()
    {
        using var directory = new TempDirectory();
        var images = directory.Write("images", ImagesFile(count: 3, rows: 2, cols: 2, payloadBytes: 12));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, TestFiles.SampleLabels, FashionMnist.ClassNames));

        Assert.Contains("3 images", error.Message);
        Assert.Contains("512 labels", error.Message);
    }

    /// <summary>An IDX image file whose header declares count × rows × cols but holds payloadBytes.</summary>
    private static byte[] ImagesFile(int count, int rows, int cols, int payloadBytes)
    {
        var bytes = new byte[16 + payloadBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        return bytes;
    }

    private static byte[] Compress(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return output.ToArray();
    }

    private static byte[] Decompress(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
