using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Anvil.Serving.Inputs;

namespace Anvil.Serving.Api;

/// <summary>
/// What makes two predict requests "the same" for an Idempotency-Key: the model selector and the parsed
/// inputs (their count, shape and values; for a text model the texts themselves, and for named features the
/// objects as sent, since two such inputs can give the same values yet are logged apart), not the wire bytes — so a multipart retry with a new boundary, or
/// JSON with other whitespace, is a replay.
/// </summary>
public static class RequestHash
{
    public static string Of(string name, string? alias, int? version, ModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{name}\n{alias}\n{version}\n{input.Count}x{input.SampleSize}\n")));
        if (input.Texts is { } texts)
        {
            foreach (var text in texts)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                hash.AppendData(BitConverter.GetBytes(bytes.Length)); // length-prefixed: ["ab", "c"] is not ["a", "bc"]
                hash.AppendData(bytes);
            }
        }
        else
        {
            hash.AppendData(input.Bytes(0, input.Count * input.SampleSize));
            // Named samples are logged as sent: {"age": null} and {"age": 38.5} fill to the same values but are not the same request.
            foreach (var sent in input.SentObjects ?? [])
            {
                hash.AppendData(BitConverter.GetBytes(sent?.Length ?? -1));
                hash.AppendData(sent ?? []);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
