namespace Anvil.Registry;

/// <summary>
/// Files and folders only their owner can read (0600 / 0700): the home holds every tenant's logged
/// inputs, usage and key hashes, and the signing key.
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) as 0700.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, DirectoryMode);
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
    /// Writes <paramref name="text"/> to <paramref name="path"/> unless it exists, atomically: a temporary
    /// file of this call's own (exclusive create, 0600, flushed to disk) renamed into place without
    /// overwriting. When another process wins the race its file stays and this one is discarded.
    /// </summary>
    public static void WriteOnce(string path, string text)
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

            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // another process created it first; theirs is complete (it was renamed into place)
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
