using System.Security.Cryptography;
using System.Text;

namespace Anvil.Registry.Encryption;

/// <summary>
/// The key-encryption key (KEK): 32 random bytes that wrap every organization's data key with AES-256-GCM.
/// It is never stored in the registry; only its <see cref="Fingerprint"/> is, beside each wrapped key, so a
/// wrong KEK is named as such instead of failing as a corrupt key. Load it with <see cref="KeyEncryptionKeySource"/>.
/// </summary>
public sealed class KeyEncryptionKey
{
    public const int Size = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public KeyEncryptionKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
            throw new RegistryException($"A key-encryption key is {Size} bytes; got {key.Length}. Make one with: head -c 32 /dev/urandom | base64");
        _key = key.ToArray();
        Fingerprint = Convert.ToHexStringLower(HMACSHA256.HashData(_key, "anvil key-encryption key fingerprint"u8)[..8]);
    }

    /// <summary>16 hex digits of HMAC-SHA-256(KEK, a fixed label): names the KEK without revealing it.</summary>
    public string Fingerprint { get; }

    /// <summary>A new random KEK (tests, and the default KEK file made on first use).</summary>
    public static KeyEncryptionKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>The KEK as base64 text, the form <c>ANVIL_KEK</c> and KEK files hold.</summary>
    /// <param name="text">Base64 of 32 bytes; <paramref name="origin"/> names where it came from in the error.</param>
    public static KeyEncryptionKey FromBase64(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new RegistryException($"{origin} is not base64 text. It must hold the base64 of 32 random bytes; make one with: head -c 32 /dev/urandom | base64");
        }

        if (bytes.Length != Size)
            throw new RegistryException($"{origin} holds {bytes.Length} bytes; a key-encryption key is {Size}. Make one with: head -c 32 /dev/urandom | base64");
        return new KeyEncryptionKey(bytes);
    }

    public string ToBase64() => Convert.ToBase64String(_key);

    /// <summary>nonce (12) ‖ wrapped key (32) ‖ tag (16), bound to the data key's id and organization.</summary>
    internal byte[] Wrap(ReadOnlySpan<byte> dataKey, string keyId, string organizationId)
    {
        var wrapped = new byte[NonceSize + dataKey.Length + TagSize];
        var nonce = wrapped.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, dataKey, wrapped.AsSpan(NonceSize, dataKey.Length), wrapped.AsSpan(NonceSize + dataKey.Length), Binding(keyId, organizationId));
        return wrapped;
    }

    /// <summary>The data key; a changed byte (or a wrong KEK of the same fingerprint, which cannot happen by chance) is a <see cref="RegistryException"/>.</summary>
    internal byte[] Unwrap(ReadOnlySpan<byte> wrapped, string keyId, string organizationId)
    {
        if (wrapped.Length != NonceSize + DataKeys.KeySize + TagSize)
            throw new RegistryException($"The wrapped data key {keyId} is {wrapped.Length} bytes, not {NonceSize + DataKeys.KeySize + TagSize}: the data_keys table was changed. Restore it from a backup.");
        var key = new byte[DataKeys.KeySize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(wrapped[..NonceSize], wrapped.Slice(NonceSize, key.Length), wrapped[(NonceSize + key.Length)..], key, Binding(keyId, organizationId));
            return key;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new RegistryException($"The wrapped data key {keyId} of organization {organizationId} fails its integrity check: the data_keys table was changed. Nothing was decrypted; restore it from a backup.");
        }
    }

    private static byte[] Binding(string keyId, string organizationId) => Encoding.UTF8.GetBytes($"anvil data key\n{keyId}\n{organizationId}");
}
