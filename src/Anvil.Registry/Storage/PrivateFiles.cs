namespace Anvil.Registry;

/// <summary>
/// Files and folders only their owner can read (0600 / 0700): the home holds every tenant's logged
/// inputs, usage and key hashes, and the signing key.
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> and each missing parent as 0700.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(path); current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
            missing.Push(current);
        foreach (var folder in missing)
            Directory.CreateDirectory(folder, DirectoryMode); // the mode applies to the last folder only, so one at a time
    }

    /// <summary>Makes an existing file or folder owner-only (0600 / 0700).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, Directory.Exists(path) ? DirectoryMode : FileMode);
    }

    /// <summary>Options that create a new file as 0600 and fail when it already exists.</summary>
    public static FileStreamOptions CreateNew()
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = FileMode;
        return options;
    }

    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="path"/> atomically: a temporary file of this
    /// call's own (exclusive create, 0600, flushed to disk) renamed over it, so a reader sees the old
    /// file or the whole new one, never a part.
    /// </summary>
    public static void WriteAtomically(string path, string text)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, CreateNew()))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Holds <paramref name="path"/> exclusively (an advisory lock that other processes and threads
    /// honour) until disposed, waiting up to <paramref name="timeout"/> for the current holder.
    /// </summary>
    public static FileStream Lock(string path, TimeSpan timeout)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = FileMode;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10); // another process is creating the same files; it takes milliseconds
            }
        }
    }
}
