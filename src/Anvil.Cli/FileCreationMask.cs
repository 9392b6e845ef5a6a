using System.Runtime.InteropServices;

namespace Anvil.Cli;

/// <summary>
/// Makes everything this process creates owner-only (umask 077): besides the registry's own files,
/// training writes checkpoints, plots and metrics under <c>$ANVIL_HOME</c>, and the home holds customer
/// data that other local users must not read.
/// </summary>
internal static class FileCreationMask
{
    private const uint GroupAndOthers = 0b000_111_111; // 077

    public static void RestrictToOwner()
    {
        if (!OperatingSystem.IsWindows())
            _ = Native.umask(GroupAndOthers);
    }

    private static class Native
    {
        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole project; one call does not justify it
        public static extern uint umask(uint mask);
#pragma warning restore SYSLIB1054
    }
}
