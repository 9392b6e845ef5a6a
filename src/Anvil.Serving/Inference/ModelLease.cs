using Anvil.Registry;

namespace Anvil.Serving.Inference;

/// <summary>
/// One request's hold on a <see cref="LoadedModel"/>, for the version the router resolved for the caller:
/// the answer, the bill, the prediction log and feedback name <see cref="Version"/> — the caller's own
/// organization, model and version — even when another registration shares the session. Dispose it when
/// the response is built.
/// </summary>
public sealed class ModelLease(LoadedModel model, ModelVersion version, TenantTraffic traffic) : IDisposable
{
    private int _disposed;

    public LoadedModel Model { get; } = model;

    /// <summary>The caller's version, as the router resolved it.</summary>
    public ModelVersion Version { get; } = version;

    /// <summary>Counts one answered request of <paramref name="samples"/> inputs under the caller's version.</summary>
    public void Served(int samples) => traffic.Record(Version, samples);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            Model.Release();
    }
}
