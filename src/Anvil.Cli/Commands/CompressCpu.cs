namespace Anvil.Cli.Commands;

/// <summary>
/// What the CPU offers int8 kernels, read from /proc/cpuinfo: AVX-512 VNNI or AVX-VNNI (int8 dot products in
/// hardware) or only AVX2. Latency figures are only comparable on the same kind of CPU, so they are printed with it.
/// </summary>
internal static class CompressCpu
{
    public static string Describe()
    {
        var flags = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ').ToHashSet() ?? []
            : [];
        var named = new[] { "avx512_vnni", "avx_vnni", "avx2" }.Where(flags.Contains).ToList();
        return named.Count > 0 ? string.Join(' ', named) : "no avx2/vnni flags found";
    }
}
