using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Anvil.Serving.Inputs;

namespace Anvil.Serving.Api;

/// <summary>
/// What makes two predict requests "the same" for an Idempotency-Key: the model selector and the parsed
/// inputs (their count, shape and float values), not the wire bytes — so a multipart retry with a new
/// boundary, or JSON with other whitespace, is a replay.
/// </summary>
public static class RequestHash
{
    public static string Of(string name, string? alias, int? version, ModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{name}\n{alias}\n{version}\n{input.Count}x{input.SampleSize}\n")));
        hash.AppendData(MemoryMarshal.AsBytes(input.Samples.AsSpan(0, input.Count * input.SampleSize)));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
