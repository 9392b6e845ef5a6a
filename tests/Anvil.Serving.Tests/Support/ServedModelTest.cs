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
}
