using System.Diagnostics;

namespace Anvil.Cli.Tests.Support;

/// <summary>
/// A real `anvil serve` on a loopback port, started by a test and answering /healthz. Disposing it kills it (SIGKILL,
/// the whole process tree: no shutdown, no flush) and waits for it to exit, so a failed assertion never leaves it running.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private RunningServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public static async Task<RunningServer> StartAsync(AnvilProcess anvil, int port)
    {
        var server = new RunningServer(anvil.Start("serve", "--urls", $"http://127.0.0.1:{port}", "--max-queue-delay-ms", "2"), port);
        using var probe = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode)
                    return server;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (server._process.HasExited)
            {
                var stderr = await server._process.StandardError.ReadToEndAsync();
                await server.DisposeAsync();
                Assert.Fail("the server exited: " + stderr);
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException("anvil serve did not start within 30 s");
    }

    /// <summary>SIGKILL now and wait for the exit; a second call does nothing.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }
}
