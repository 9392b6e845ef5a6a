using System.Security.Cryptography;
using System.Text;

namespace Anvil.Registry.Encryption;

/// <summary>
/// One value encrypted at rest (docs/decisions/0019-encryption-at-rest.md): magic A7 41 4E 45 ("\xA7ANE"),
/// format version 1, key-id length n, the key id (n ASCII bytes), a random 12-byte nonce, the AES-256-GCM
/// ciphertext (as long as the plaintext) and its 16-byte tag. The associated data is the header followed by
/// the organization id and what the value is (for example "predictions.input/&lt;id&gt;"), so a ciphertext moved
/// to another row, column or organization fails its tag like a changed byte does.
/// </summary>
internal static class Envelope
{
    public const byte Version = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    private static readonly byte[] Magic = [0xA7, 0x41, 0x4E, 0x45];

    /// <summary>True when <paramref name="stored"/> starts like an envelope; older plaintext rows do not (0xA7 cannot start UTF-8 text).</summary>
    public static bool IsSealed(ReadOnlySpan<byte> stored) => stored.StartsWith(Magic);

    public static byte[] Seal(ReadOnlySpan<byte> key, string keyId, ReadOnlySpan<byte> plaintext, string organizationId, string context)
    {
        var header = Header(keyId);
        var sealedValue = new byte[header.Length + NonceSize + plaintext.Length + TagSize];
        header.CopyTo(sealedValue, 0);
        var nonce = sealedValue.AsSpan(header.Length, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(header.Length + NonceSize, plaintext.Length), sealedValue.AsSpan(sealedValue.Length - TagSize),
            AssociatedData(header, organizationId, context));
        return sealedValue;
    }

    /// <summary>The key id an envelope names; a malformed header is a <see cref="RegistryException"/> naming <paramref name="context"/>.</summary>
    public static string KeyId(ReadOnlySpan<byte> stored, string context)
    {
        if (stored.Length < Magic.Length + 2 || !IsSealed(stored))
            throw Changed(context, "its header is not an Anvil envelope");
        if (stored[4] != Version)
            throw new RegistryException($"{context} is in encryption format {stored[4]}; this Anvil reads format {Version}. Upgrade Anvil.");
        var length = stored[5];
        if (length is 0 || stored.Length < 6 + length + NonceSize + TagSize)
            throw Changed(context, "it is shorter than its header says");
        return Encoding.ASCII.GetString(stored.Slice(6, length));
    }

    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored, string organizationId, string context)
    {
        var keyId = KeyId(stored, context);
        var headerLength = 6 + keyId.Length;
        var plaintext = new byte[stored.Length - headerLength - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(stored.Slice(headerLength, NonceSize), stored.Slice(headerLength + NonceSize, plaintext.Length), stored[^TagSize..], plaintext,
                AssociatedData(stored[..headerLength], organizationId, context));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw Changed(context, "its authentication tag does not match (a changed byte, or a value moved from another row or organization)");
        }
    }

    private static byte[] Header(string keyId)
    {
        if (keyId.Length is 0 or > 64 || !Ascii.IsValid(keyId))
            throw new ArgumentException($"A data key id is 1 to 64 ASCII characters; got '{keyId}'.", nameof(keyId));
        return [.. Magic, Version, (byte)keyId.Length, .. Encoding.ASCII.GetBytes(keyId)];
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string organizationId, string context) =>
        [.. header, .. Encoding.UTF8.GetBytes($"\n{organizationId}\n{context}")];

    private static RegistryException Changed(string context, string why) => new(
        $"The encrypted value {context} was refused: {why}. Nothing was decrypted; restore the data from a backup.");
}
