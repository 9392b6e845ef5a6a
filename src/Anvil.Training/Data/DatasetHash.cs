using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Anvil.Training.Data;

/// <summary>
/// The identity of a data set: a SHA-256 over the raw files the user gave (each file's name within
/// the data set, its length and its bytes, in ordinal name order), computed before anything is
/// parsed, split, cleaned or normalised. So <c>train</c>, <c>cv</c> and <c>evaluate</c> of the same
/// data record the same hash whatever their options, and one changed byte changes it.
/// </summary>
/// <example>
/// <code>string id = DatasetHash.OfFiles([("data", "iris.csv")]);   // 64 lowercase hex digits</code>
/// </example>
public static class DatasetHash
{
    private const string FormatTag = "anvil-dataset-files-sha256-v2";

    /// <summary>Returns the SHA-256 of the files as 64 lowercase hex digits.</summary>
    /// <param name="files">Each file's name within the data set (e.g. "train/cat/1.png") and its path on disk; names must be unique.</param>
    public static string OfFiles(IEnumerable<(string Name, string Path)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var ordered = files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendString(hash, FormatTag);
        AppendInt64(hash, ordered.Count);
        var buffer = new byte[1 << 16];
        foreach (var (name, path) in ordered)
        {
            using var stream = File.OpenRead(path);
            AppendString(hash, name);
            AppendInt64(hash, stream.Length);
            int read;
            while ((read = stream.Read(buffer)) > 0)
                hash.AppendData(buffer, 0, read);
        }
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
