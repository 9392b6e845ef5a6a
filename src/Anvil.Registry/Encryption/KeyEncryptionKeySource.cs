using System.Text;

namespace Anvil.Registry.Encryption;

/// <summary>
/// Where the key-encryption key comes from: <c>ANVIL_KEK</c> (base64 of 32 bytes) or <c>ANVIL_KEK_FILE</c> (a
/// file holding that text); when neither is set, <c>$XDG_CONFIG_HOME/anvil/kek</c> (else <c>~/.config/anvil/kek</c>),
/// created 0600 on first use so the quick start encrypts too. A KEK file must lie outside <c>$ANVIL_HOME</c> (a
/// copy of the home must not carry its own key), be a regular file and not a symbolic link, and be readable by
/// its owner only.
/// </summary>
public static class KeyEncryptionKeySource
{
    public const string Variable = "ANVIL_KEK";
    public const string FileVariable = "ANVIL_KEK_FILE";
    private const int MaxFileBytes = 1024;

    /// <summary>The KEK named by <paramref name="getEnvironmentVariable"/> (tests pass their own; the default is the process environment).</summary>
    public static KeyEncryptionKey Resolve(Func<string, string?>? getEnvironmentVariable = null, string? currentDirectory = null)
    {
        var environment = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var home = AnvilHome.DirectoryFrom(environment, currentDirectory);
        var (text, file) = (environment(Variable), environment(FileVariable));
        if (!string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(file))
            throw new RegistryException($"Both {Variable} and {FileVariable} are set; set only one of them.");
        if (!string.IsNullOrWhiteSpace(text))
            return KeyEncryptionKey.FromBase64(text, Variable);
        if (!string.IsNullOrWhiteSpace(file))
            return Read(Path.GetFullPath(file, currentDirectory ?? Directory.GetCurrentDirectory()), home, FileVariable);
        return ReadOrCreateDefault(DefaultPath(environment), home);
    }

    /// <summary>Reads a KEK file after the checks above; <paramref name="origin"/> names it in errors.</summary>
    public static KeyEncryptionKey Read(string path, string home, string origin)
    {
        var full = Path.GetFullPath(path);
        var fix = $"Point {origin} at a 0600 file outside the Anvil home holding the base64 of 32 random bytes (head -c 32 /dev/urandom | base64), or set {Variable}.";
        if (IsInside(full, home))
            throw new RegistryException($"The key-encryption key file '{full}' ({origin}) lies inside the Anvil home '{home}', where a copy of the data would carry its key. {fix}");
        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
            throw new RegistryException($"The key-encryption key file '{full}' ({origin}) is a symbolic link; name the file itself. {fix}");
        if (Directory.Exists(full))
            throw new RegistryException($"The key-encryption key file '{full}' ({origin}) is a directory. {fix}");
        if (!info.Exists)
            throw new RegistryException($"The key-encryption key file '{full}' ({origin}) does not exist. {fix}");
        if (!OperatingSystem.IsWindows() && (info.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            throw new RegistryException($"The key-encryption key file '{full}' ({origin}) can be read or written by other users; make it private with: chmod 600 '{full}'");
        if (info.Length is 0 or > MaxFileBytes)
            throw new RegistryException($"The key-encryption key file '{full}' ({origin}) is {info.Length} bytes; it must be a regular file holding one line of base64 (44 characters). {fix}");
        return KeyEncryptionKey.FromBase64(File.ReadAllText(full, Encoding.ASCII), $"The key-encryption key file '{full}' ({origin})");
    }

    private static KeyEncryptionKey ReadOrCreateDefault(string path, string home)
    {
        var origin = $"the default key-encryption key file, used when neither {Variable} nor {FileVariable} is set";
        if (IsInside(path, home))
            throw new RegistryException($"The default key-encryption key file '{path}' would lie inside the Anvil home '{home}'; set {Variable} or {FileVariable}.");
        if (!File.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                using var stream = new FileStream(path, PrivateFiles.CreateNew());
                stream.Write(Encoding.ASCII.GetBytes(KeyEncryptionKey.Generate().ToBase64() + "\n"));
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // another process created it first: read theirs below
            }
        }

        return Read(path, home, origin);
    }

    private static string DefaultPath(Func<string, string?> environment)
    {
        var config = environment("XDG_CONFIG_HOME");
        if (string.IsNullOrWhiteSpace(config) || !Path.IsPathRooted(config))
        {
            var userHome = environment("HOME");
            if (string.IsNullOrWhiteSpace(userHome))
                throw new RegistryException($"No key-encryption key: set {Variable} (base64 of 32 random bytes: head -c 32 /dev/urandom | base64) or {FileVariable} (a 0600 file holding it).");
            config = Path.Combine(userHome, ".config");
        }

        return Path.GetFullPath(Path.Combine(config, "anvil", "kek"));
    }

    private static bool IsInside(string path, string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal);
    }
}
