using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Anvil.Registry.Tenancy;

/// <summary>
/// <c>anvil_&lt;id&gt;_&lt;secret&gt;</c>: the id is 12 lower-case base32 characters (60 random bits, the
/// lookup key), the secret 32 random bytes in base64url without padding (43 characters, which may
/// themselves contain '_' and '-'). Only SHA-256 of the whole string is stored.
/// </summary>
internal static class ApiKeyFormat
{
    public const string Prefix = "anvil_";
    public const int IdLength = 12;
    public const int SecretBytes = 32;
    public const int SecretLength = 43; // ceil(32 * 8 / 6)
    public const int KeyLength = 6 + IdLength + 1 + SecretLength;

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static (string Id, string Key) New()
    {
        var id = RandomNumberGenerator.GetString(Base32, IdLength);
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The id of a well-formed key, else null. Never throws on user input.</summary>
    public static string? ParseId(string key)
    {
        if (key.Length != KeyLength || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + IdLength] != '_')
        {
            return null;
        }

        var id = key.Substring(Prefix.Length, IdLength);
        var secret = key.AsSpan(Prefix.Length + IdLength + 1);
        return IsId(id) && Base64Url.IsValid(secret, out var decodedLength) && decodedLength == SecretBytes ? id : null;
    }

    public static bool IsId(string text) => text.Length == IdLength && text.All(c => Base32.Contains(c, StringComparison.Ordinal));

    /// <summary>SHA-256 of the whole key string, lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool HashMatches(string key, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key)), Convert.FromHexString(storedHash));
}
