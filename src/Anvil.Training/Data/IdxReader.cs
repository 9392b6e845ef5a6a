using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST: unsigned-byte images (magic 0x00000803,
/// shape (N, rows, cols)) and unsigned-byte labels (magic 0x00000801, shape (N)). Files may be
/// gzipped (detected by the 1f 8b magic, not by the extension) or raw. Every file is validated
/// before use: magic, dimensions, and N × rows × cols (checked arithmetic) against the payload.
/// </summary>
/// <example>
/// <code>
/// using var test = IdxReader.ReadDataset("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", FashionMnist.ClassNames);
/// </code>
/// </example>
public static class IdxReader
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file as (N, 1, rows, cols) float32 scaled to [0, 1].</summary>
    public static Tensor ReadImages(string path)
    {
        var (dims, pixels) = Read(path, ImagesMagic, "images");
        var values = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
            values[i] = pixels[i] / 255f;
        return tensor(values, [dims[0], 1, dims[1], dims[2]]); // (N, 1, rows, cols)
    }

    /// <summary>Reads a label file as (N) int64.</summary>
    public static Tensor ReadLabels(string path)
    {
        var (_, bytes) = Read(path, LabelsMagic, "labels");
        var labels = Array.ConvertAll(bytes, b => (long)b);
        return tensor(labels, [labels.LongLength]); // (N)
    }

    /// <summary>
    /// Reads an image file and its label file into one data set, checking that both hold the
    /// same number of samples and that every label names one of <paramref name="classNames"/>.
    /// </summary>
    public static TensorDataset ReadDataset(string imagesPath, string labelsPath, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        using var scope = NewDisposeScope();
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (images.shape[0] != labels.shape[0])
            throw new InvalidDataException(
                $"'{imagesPath}' holds {images.shape[0]} images but '{labelsPath}' holds {labels.shape[0]} labels; " +
                "they must match. Check that both files come from the same split (train or t10k).");
        if (labels.numel() > 0 && labels.max().item<long>() >= classNames.Count)
            throw new InvalidDataException(
                $"'{labelsPath}' holds label {labels.max().item<long>()} but only {classNames.Count} class names were given " +
                $"(labels must lie in [0, {classNames.Count - 1}]). Pass one class name per label value.");
        return new TensorDataset(images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), classNames);
    }

    /// <summary>Reads and validates one file; returns its dimensions and its payload.</summary>
    private static (int[] Dims, byte[] Payload) Read(string path, int expectedMagic, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenMaybeGzipped(path);
        var header = new byte[4];
        ReadHeader(stream, header, path, "the 4-byte magic number");
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
            throw new InvalidDataException(
                $"'{path}' starts with magic 0x{magic:X8} but IDX {kind} files start with 0x{expectedMagic:X8} " +
                $"(unsigned bytes, {expectedMagic & 0xFF} dimensions). Check that you passed the {kind} file.");

        var dims = new int[expectedMagic & 0xFF]; // the magic's low byte is the number of dimensions
        long expectedBytes = 1;
        for (var d = 0; d < dims.Length; d++)
        {
            ReadHeader(stream, header, path, $"dimension {d}");
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header);
            if (dims[d] < 0 || (d > 0 && dims[d] == 0))
                throw new InvalidDataException($"'{path}' declares dimension {d} as {dims[d]}; expected a positive size.");
            expectedBytes = checked(expectedBytes * dims[d]);
        }
        if (expectedBytes > Array.MaxLength)
            throw new InvalidDataException(
                $"'{path}' declares {string.Join(" × ", dims)} = {expectedBytes} bytes, more than one array can hold ({Array.MaxLength}).");

        var payload = new byte[expectedBytes];
        var actual = ReadAll(stream, payload, path) + ReadAll(stream, null, path);
        if (actual != expectedBytes)
            throw new InvalidDataException(
                $"'{path}' is {(actual < expectedBytes ? "truncated" : "too long")}: its header declares " +
                $"{string.Join(" × ", dims)} = {expectedBytes} bytes of {kind} but the file holds {actual}. " +
                "Download the file again.");
        return (dims, payload);
    }

    private static void ReadHeader(Stream stream, byte[] buffer, string path, string what)
    {
        if (ReadAll(stream, buffer, path) != buffer.Length)
            throw new InvalidDataException($"'{path}' ends inside its IDX header while reading {what}; the file is truncated or not an IDX file.");
    }

    /// <summary>Fills <paramref name="buffer"/> as far as the stream allows, or with a null buffer counts the rest; returns the byte count.</summary>
    private static long ReadAll(Stream stream, byte[]? buffer, string path)
    {
        try
        {
            if (buffer is not null)
                return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var scratch = new byte[81920];
            long count = 0;
            int read;
            while ((read = stream.Read(scratch)) > 0)
                count += read;
            return count;
        }
        catch (InvalidDataException ex)
        {
            // GZipStream's message does not name the file.
            throw new InvalidDataException($"'{path}' is not a valid gzip file ({ex.Message}). Download the file again.", ex);
        }
    }

    /// <summary>Opens a file, decompressing it when it starts with the gzip magic 1f 8b.</summary>
    private static Stream OpenMaybeGzipped(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var isGzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        return isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
