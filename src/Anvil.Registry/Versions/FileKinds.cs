using System.Runtime.InteropServices;

namespace Anvil.Registry.Versions;

/// <summary>
/// What a path is, without following a symbolic link at its end (lstat): a version directory holds
/// plain files only, so a link (which could point anywhere, and change after it was checked), a FIFO
/// (whose open blocks) or a device is refused before it is opened.
/// </summary>
internal static class FileKinds
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int NoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const uint TypeField = 0x1; // STATX_TYPE
    private const int ModeOffset = 0x1C; // stx_mode in struct statx, the same on every Linux architecture
    private const int TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000, Link = 0xA000, Fifo = 0x1000, Socket = 0xC000;

    /// <summary>Null when <paramref name="path"/> is a regular file; else what it is ("a symbolic link", …).</summary>
    public static string? NotARegularFile(string path)
    {
        if (!OperatingSystem.IsLinux())
            return Portable(new FileInfo(path));
        var status = new byte[256]; // sizeof(struct statx)
        if (Native.statx(CurrentDirectory, path, NoFollow, TypeField, status) != 0)
            return $"unreadable (errno {Marshal.GetLastPInvokeError()})";
        return (BitConverter.ToUInt16(status, ModeOffset) & TypeMask) switch
        {
            Regular => null,
            Link => "a symbolic link",
            Directory => "a directory",
            Fifo => "a FIFO",
            Socket => "a socket",
            _ => "a device",
        };
    }

    /// <summary>True when <paramref name="entry"/> itself is a symbolic link or another reparse point.</summary>
    public static bool IsLink(FileSystemInfo entry) =>
        entry.LinkTarget is not null || entry.Attributes.HasFlag(FileAttributes.ReparsePoint);

    private static string? Portable(FileInfo entry) =>
        IsLink(entry) ? "a symbolic link"
        : entry.Attributes.HasFlag(FileAttributes.Directory) ? "a directory"
        : entry.Attributes.HasFlag(FileAttributes.Device) ? "a device"
        : null;

    private static class Native
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole project; one call does not justify it
        public static extern int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] status);
#pragma warning restore SYSLIB1054
    }
}
