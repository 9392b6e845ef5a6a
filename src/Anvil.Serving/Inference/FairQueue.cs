namespace Anvil.Serving.Inference;

/// <summary>
/// The batcher's queue: bounded in samples (not requests), with a per-tenant share, and drained round-robin
/// across tenants — so one organization's flood can neither fill the queue for another nor make another's
/// requests wait behind all of its own. One reader (the batching loop), any number of writers.
/// </summary>
/// <typeparam name="T">A queued request.</typeparam>
internal sealed class FairQueue<T>(int maxSamples, int maxSamplesPerTenant)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<(T Item, int Samples)>> _byTenant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _samplesByTenant = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new(); // tenants with something queued, in round-robin order
    private TaskCompletionSource<bool>? _waiter;
    private int _samples;
    private bool _completed;

    /// <summary>Queues <paramref name="item"/> unless the queue or the tenant's share would pass its bound in samples.</summary>
    public bool TryEnqueue(string tenant, T item, int samples)
    {
        TaskCompletionSource<bool>? wake;
        lock (_gate)
        {
            var tenantSamples = _samplesByTenant.GetValueOrDefault(tenant);
            if (_completed || _samples + samples > maxSamples || tenantSamples + samples > maxSamplesPerTenant)
                return false;
            if (!_byTenant.TryGetValue(tenant, out var queue))
                _byTenant[tenant] = queue = new();
            if (queue.Count == 0)
                _turns.Enqueue(tenant);
            queue.Enqueue((item, samples));
            _samplesByTenant[tenant] = tenantSamples + samples;
            _samples += samples;
            (wake, _waiter) = (_waiter, null);
        }

        wake?.TrySetResult(true);
        return true;
    }

    /// <summary>True once something is queued; false when the queue is completed and empty.</summary>
    public Task<bool> WaitToReadAsync()
    {
        lock (_gate)
        {
            if (_turns.Count > 0)
                return Task.FromResult(true);
            if (_completed)
                return Task.FromResult(false);
            _waiter ??= new(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
                return _turns.Count == 0;
        }
    }

    /// <summary>Takes the next tenant's oldest request when it has at most <paramref name="room"/> samples.</summary>
    public bool TryTake(int room, out T item, out int samples)
    {
        lock (_gate)
        {
            if (_turns.TryPeek(out var tenant) && _byTenant[tenant].Peek() is var next && next.Samples <= room)
            {
                _turns.Dequeue();
                var queue = _byTenant[tenant];
                queue.Dequeue();
                if (queue.Count > 0)
                    _turns.Enqueue(tenant); // its next request waits for every other tenant's turn
                else
                    _byTenant.Remove(tenant);
                var left = _samplesByTenant[tenant] - next.Samples;
                if (left == 0)
                    _samplesByTenant.Remove(tenant);
                else
                    _samplesByTenant[tenant] = left;
                _samples -= next.Samples;
                (item, samples) = next;
                return true;
            }
        }

        (item, samples) = (default!, 0);
        return false;
    }

    /// <summary>Accepts nothing more; the reader drains what is queued.</summary>
    public void Complete()
    {
        TaskCompletionSource<bool>? wake;
        lock (_gate)
        {
            _completed = true;
            (wake, _waiter) = (_waiter, null);
        }

        wake?.TrySetResult(false); // a waiter exists only while the queue is empty
    }
}
