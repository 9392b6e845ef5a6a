namespace Anvil.Serving.Inputs;

/// <summary>
/// Image decoding and text tokenizing run on their own threads, at most <c>slots</c> at a time (about one per core), so a burst
/// of costly uploads never takes the request threads that /healthz and everyone else need. A request that
/// cannot get a slot within <c>wait</c> is refused with 503 rather than queueing without bound.
/// </summary>
public sealed class DecodeGate(int slots, TimeSpan wait) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, slots), Math.Max(1, slots));

    public async Task<T> RunAsync<T>(Func<T> decode, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(decode);
        if (!await _slots.WaitAsync(wait, cancellation).ConfigureAwait(false))
            throw new InputException(503, "Every input decoder is busy; retry in a second.");
        try
        {
            return await Task.Factory.StartNew(decode, cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
