using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>
/// A SHA-256 fingerprint of a data set's content: feature shape, class names, feature bytes and
/// label bytes. Equal data gives an equal hash on every machine; one changed pixel changes it.
/// Use it to record exactly which data a model was trained on.
/// </summary>
/// <example>
/// <code>string id = DatasetHash.Compute(train);   // 64 lowercase hex digits</code>
/// </example>
public static class DatasetHash
{
    private const string FormatTag = "anvil-dataset-sha256-v1";

    /// <summary>Returns the SHA-256 of the data set as 64 lowercase hex digits.</summary>
    public static string Compute(TensorDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendString(hash, FormatTag);
        AppendInt64(hash, data.Features.dim());
        foreach (var size in data.Features.shape)
            AppendInt64(hash, size);
        AppendInt64(hash, data.ClassNames.Count);
        foreach (var name in data.ClassNames)
            AppendString(hash, name);

        using var scope = NewDisposeScope();
        // Values are hashed as little-endian float32 / int64 in row-major order.
        hash.AppendData(data.Features.cpu().contiguous().bytes);
        hash.AppendData(data.Labels.cpu().contiguous().bytes);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendInt64(IncrementalHash hash, long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        hash.AppendData(bytes);
    }

    /// <summary>Length-prefixed UTF-8, so ["ab", "c"] and ["a", "bc"] hash differently.</summary>
    private static void AppendString(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendInt64(hash, bytes.Length);
        hash.AppendData(bytes);
    }
}
