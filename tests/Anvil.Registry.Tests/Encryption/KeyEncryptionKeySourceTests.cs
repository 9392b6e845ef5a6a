using Anvil.Registry.Encryption;

namespace Anvil.Registry.Tests.Encryption;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyEncryptionKeySourceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string AnvilHomePath => Path.Combine(_temp.Path, "home");

    [Fact]
    public void KekFromTheVariableIsNamedByItsFingerprint()
    {
        var kek = KeyEncryptionKey.Generate();

        var resolved = KeyEncryptionKeySource.Resolve(Environment(("ANVIL_KEK", kek.ToBase64())));

        Assert.Equal(kek.Fingerprint, resolved.Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", resolved.Fingerprint);
        Assert.NotEqual(kek.Fingerprint, KeyEncryptionKey.Generate().Fingerprint);
    }

    [Fact]
    public void AShortOrNonBase64KekIsRefusedWithHowToMakeOne()
    {
        var shortKey = Assert.Throws<RegistryException>(() => KeyEncryptionKeySource.Resolve(Environment(("ANVIL_KEK", Convert.ToBase64String(new byte[16])))));
        var notBase64 = Assert.Throws<RegistryException>(() => KeyEncryptionKeySource.Resolve(Environment(("ANVIL_KEK", "not base64!"))));

        Assert.Equal("ANVIL_KEK holds 16 bytes; a key-encryption key is 32. Make one with: head -c 32 /dev/urandom | base64", shortKey.Message);
        Assert.Contains("ANVIL_KEK is not base64 text", notBase64.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKekFileIsReadWhenPrivateAndOutsideTheHome()
    {
        var kek = KeyEncryptionKey.Generate();
        var path = WriteKekFile(Path.Combine(_temp.Path, "kek"), kek);

        Assert.Equal(kek.Fingerprint, KeyEncryptionKeySource.Resolve(Environment(("ANVIL_KEK_FILE", path))).Fingerprint);
    }

    [Fact]
    public void KekFilesInsideTheHomeOrSharedOrLinkedOrMissingAreRefused()
    {
        var inside = WriteKekFile(Path.Combine(AnvilHomePath, "kek"), KeyEncryptionKey.Generate());
        var shared = WriteKekFile(Path.Combine(_temp.Path, "shared-kek"), KeyEncryptionKey.Generate());
        File.SetUnixFileMode(shared, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var link = Path.Combine(_temp.Path, "linked-kek");
        File.CreateSymbolicLink(link, WriteKekFile(Path.Combine(_temp.Path, "real-kek"), KeyEncryptionKey.Generate()));

        Assert.Contains("lies inside the Anvil home", Refusal(inside), StringComparison.Ordinal);
        Assert.Contains($"chmod 600 '{shared}'", Refusal(shared), StringComparison.Ordinal);
        Assert.Contains("is a symbolic link", Refusal(link), StringComparison.Ordinal);
        Assert.Contains("does not exist", Refusal(Path.Combine(_temp.Path, "missing")), StringComparison.Ordinal);
        Assert.Contains("is a directory", Refusal(_temp.Path), StringComparison.Ordinal);
        Assert.Contains("set only one", Assert.Throws<RegistryException>(() => KeyEncryptionKeySource.Resolve(
            Environment(("ANVIL_KEK_FILE", shared), ("ANVIL_KEK", KeyEncryptionKey.Generate().ToBase64())))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAVariableAPrivateDefaultKekIsMadeOnceUnderTheUsersConfig()
    {
        var user = Path.Combine(_temp.Path, "user");

        var first = KeyEncryptionKeySource.Resolve(Environment(("HOME", user)));
        var second = KeyEncryptionKeySource.Resolve(Environment(("HOME", user)));

        var path = Path.Combine(user, ".config", "anvil", "kek");
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(first.Fingerprint, KeyEncryptionKeySource.Resolve(Environment(("XDG_CONFIG_HOME", Path.Combine(user, ".config")))).Fingerprint);
        Assert.Contains("would lie inside the Anvil home", Assert.Throws<RegistryException>(() =>
            KeyEncryptionKeySource.Resolve(Environment(("HOME", AnvilHomePath)))).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private string Refusal(string kekFile) =>
        Assert.Throws<RegistryException>(() => KeyEncryptionKeySource.Resolve(Environment(("ANVIL_KEK_FILE", kekFile)))).Message;

    private static string WriteKekFile(string path, KeyEncryptionKey kek)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, kek.ToBase64() + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Only the given variables and ANVIL_HOME: never the real user's home or KEK.</summary>
    private Func<string, string?> Environment(params (string Name, string Value)[] variables) => name =>
        name == "ANVIL_HOME" ? AnvilHomePath : variables.FirstOrDefault(v => v.Name == name).Value;
}
