using System.Runtime.InteropServices;

namespace Anvil.Training.Training;

/// <summary>
/// fsync for files and folders: a rename is durable only once the folder holding it is synced, and
/// .NET can flush a file it writes but cannot open a folder to sync it.
/// </summary>
internal static class DiskSync
{
    /// <summary>Flushes <paramref name="path"/> (a file or a folder) to disk.</summary>
    public static void Sync(string path)
    {
        if (!OperatingSystem.IsLinux())
            return; // the server and CI run Linux; elsewhere the rename order alone is kept
        var descriptor = Native.open(path, 0); // O_RDONLY: fsync needs no write access, and folders open only read-only
        if (descriptor < 0)
            throw new IOException($"Cannot open '{path}' to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Native.fsync(descriptor) != 0)
                throw new IOException($"Flushing '{path}' to disk failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Native.close(descriptor);
        }
    }

    private static class Native
    {
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole project; three calls do not justify it
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fsync(int descriptor);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int descriptor);
#pragma warning restore SYSLIB1054
    }
}
