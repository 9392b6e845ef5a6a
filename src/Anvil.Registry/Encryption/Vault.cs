namespace Anvil.Registry.Encryption;

/// <summary>
/// What a session needs to seal and open values: the key-encryption key (resolved on first use, so commands that
/// never touch encrypted data never need it) and the clock that dates new data keys.
/// </summary>
internal sealed class Vault(Lazy<KeyEncryptionKey> kek, TimeProvider time)
{
    public KeyEncryptionKey Kek => kek.Value;

    public TimeProvider Time => time;
}
