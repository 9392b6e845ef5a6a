namespace Anvil.Serving.Tests.Support;

/// <summary>
/// A test class with its own server, version 1 of acme's "fashion" model, and a client holding a
/// developer key of acme on <see cref="Plan"/>.
/// </summary>
public abstract class ServedModelTest : IAsyncLifetime
{
    protected ServingHost Host { get; private set; } = null!;

    protected ModelVersion Version { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>The plan of <see cref="Client"/>'s key.</summary>
    protected virtual string Plan => "enterprise";

    public virtual async Task InitializeAsync()
    {
        Host = await ServingHost.StartAsync();
        Version = Host.AddVersion(Host.Acme);
        Client = Host.Client(Host.CreateKey(Host.Acme, Plan));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>
    /// Sends a request while the flush of SQLite's log fails as a failing disk makes it fail, after the commit: the server's
    /// connections keep the log open, but the path the flush opens ends in a symbolic link to itself (ELOOP, an I/O error).
    /// </summary>
    protected async Task<HttpResponseMessage> WhileTheFlushFailsAsync(Func<Task<HttpResponseMessage>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        var log = Host.Home.DatabasePath + "-wal";
        Assert.True(File.Exists(log), "the served database runs in WAL mode with its log present");
        File.Move(log, log + ".held");
        File.CreateSymbolicLink(log, log);
        try
        {
            return await send();
        }
        finally
        {
            File.Delete(log);
            File.Move(log + ".held", log);
        }
    }
}
