using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Anvil.Registry.Storage;

/// <summary>
/// fdatasync of a file by path: its written data reach the disk (its size too, when it grew), without the
/// timestamps that <see cref="RandomAccess.FlushToDisk"/> (a full fsync) would also journal.
/// </summary>
internal static class DataSync
{
    /// <summary>Flushes <paramref name="path"/> to disk; false when no such file exists (nothing to flush).</summary>
    public static bool Flush(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); // fdatasync needs no write access
        }
        catch (FileNotFoundException)
        {
            return false;
        }

        using (handle)
        {
            if (fdatasync(handle) != 0)
                throw new IOException($"Flushing '{path}' to disk failed (errno {Marshal.GetLastPInvokeError()}).");
            return true;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole project; one call does not justify it
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int fdatasync(SafeFileHandle descriptor);
#pragma warning restore SYSLIB1054
}
