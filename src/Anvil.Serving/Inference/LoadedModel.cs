using Anvil.Preprocessing.Text;
using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Serving.Inputs;

namespace Anvil.Serving.Inference;

/// <summary>
/// A verified model version with its ONNX Runtime session and batcher, shared by every registration of
/// the same files (one digest): who is asking — organization, model name, version — travels with each
/// <see cref="ModelLease"/>, never with the session. Reference-counted: the
/// router holds one reference while the version may receive new requests, every request holds a
/// lease, and the session is disposed only when the router has retired it and the last lease ends —
/// so a hot swap never fails a request in flight.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Reference-counted: the last Release disposes the predictor, not a Dispose call.")]
public sealed class LoadedModel
{
    private readonly OnnxPredictor _predictor;
    private int _references = 1;
    private long _lastUsedTicks;

    public LoadedModel(ModelVersion version, VerifiedModelVersion files, BatchingOptions batching, int threads)
    {
        Version = version;
        Files = files;
        _predictor = new OnnxPredictor(files, threads);
        try
        {
            Tokenizer = VersionTokenizer.Open(files, _predictor.SampleShape);
        }
        catch
        {
            _predictor.Dispose();
            throw;
        }

        Batcher = new AdaptiveBatcher(_predictor, batching);
    }

    /// <summary>The registration that loaded the files first; requests carry their own in <see cref="ModelLease.Version"/>.</summary>
    public ModelVersion Version { get; }

    public VerifiedModelVersion Files { get; }

    public ModelManifest Manifest => Files.Manifest;

    public AdaptiveBatcher Batcher { get; }

    /// <summary>One sample's shape without the batch (a sequence's length fixed to its window or max_length).</summary>
    public IReadOnlyList<long> SampleShape => _predictor.SampleShape;

    /// <summary>A text model's tokenizer, as training used it; null for other models.</summary>
    public TextTokenizer? Tokenizer { get; }

    /// <summary>When the last request took a lease (read and written from any thread).</summary>
    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>True while a request holds a lease (beyond the router's own reference).</summary>
    public bool InFlight => Volatile.Read(ref _references) > 1;

    /// <summary>
    /// A lease for one request to <paramref name="version"/> (served by these files), counted in
    /// <paramref name="traffic"/> under that version; null when the model was retired and has shut down.
    /// </summary>
    public ModelLease? TryAcquire(ModelVersion version, TenantTraffic traffic, DateTimeOffset now)
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                Interlocked.Exchange(ref _lastUsedTicks, now.UtcTicks);
                return new ModelLease(this, version, traffic);
            }

            current = seen;
        }

        return null;
    }

    /// <summary>Drops the router's reference; the session closes after the last request in flight.</summary>
    public void Retire() => Release();

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
            _ = ShutDownAsync();
    }

    private async Task ShutDownAsync()
    {
        await Batcher.DisposeAsync().ConfigureAwait(false);
        _predictor.Dispose();
    }
}
