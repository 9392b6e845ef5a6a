using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// Process-wide settings that make libtorch fast on a CPU, applied once.
/// <para>
/// glibc serves allocations above its mmap threshold (at most 32 MiB) with fresh mmap'd pages and
/// returns them on free, so every training step page-faults and zeroes its activation buffers
/// again. Measured on 2 Zen 3 cores it cost 2-3x in throughput (docs/decisions/0003). Turning mmap
/// off and never trimming the heap keeps the freed buffers for the next step; peak memory is
/// unchanged, it is just not handed back to the OS until the process exits.
/// </para>
/// </summary>
public static class TorchRuntime
{
    private const int MallocTrimThreshold = -1, MallocMmapMax = -4;
    private static int _initialized;

    /// <summary>Applies the settings; later calls do nothing. Set ANVIL_NO_MALLOC_TUNING=1 to compare without them.</summary>
    /// <param name="threads">Intra-op threads; null keeps libtorch's default (one per core).</param>
    public static void Initialize(int? threads = null)
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 1)
            return;
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("ANVIL_NO_MALLOC_TUNING") != "1")
        {
            _ = NativeMethods.mallopt(MallocMmapMax, 0);
            _ = NativeMethods.mallopt(MallocTrimThreshold, int.MaxValue);
        }
        if (threads is > 0)
            set_num_threads(threads.Value);
    }

    /// <summary>Peak resident memory of this process in MiB (VmHWM), or null where /proc is unavailable.</summary>
    public static double? PeakMemoryMb()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
            return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return long.TryParse(kib, out var value) ? value / 1024.0 : null;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "mallopt")]
        public static extern int mallopt(int param, int value);
    }
}
