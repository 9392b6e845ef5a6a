using System.Diagnostics;
using System.Reflection;

namespace Anvil.Cli.Commands;

/// <summary>
/// The extra workers of <c>anvil tune --workers K</c>: K - 1 copies of this CLI running the same study
/// (each leases its own trials from the registry), their progress on this terminal's stderr.
/// </summary>
internal sealed class TuneWorkers : IDisposable
{
    private readonly List<Process> _processes = [];

    public TuneWorkers(int count, IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < count; i++)
        {
            // Started as "dotnet anvil.dll" (./anvil does) or as the apphost: start the copy the same way.
            var host = Environment.ProcessPath ?? "dotnet";
            var info = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
                info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            foreach (var argument in arguments)
                info.ArgumentList.Add(argument);
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { }; // a worker's own summary is the parent's to print
            process.BeginOutputReadLine();
            _processes.Add(process);
        }
    }

    /// <summary>Waits for every worker; returns the first non-zero exit code, or 0.</summary>
    public int WaitForAll()
    {
        var failed = 0;
        foreach (var process in _processes)
        {
            process.WaitForExit();
            if (process.ExitCode != 0 && failed == 0)
                failed = process.ExitCode;
        }
        return failed;
    }

    /// <summary>Ends the workers this process started (the study goes on from the registry next time).</summary>
    public void Stop()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
            process.Kill();
    }

    public void Dispose()
    {
        foreach (var process in _processes)
            process.Dispose();
    }
}
