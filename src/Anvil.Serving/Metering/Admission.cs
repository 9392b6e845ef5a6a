using System.Diagnostics;
using System.Threading.Channels;
using Anvil.Registry;

namespace Anvil.Serving.Metering;

/// <summary>
/// The writes a request makes on its key's counters before inference — reservations, refunds, counted bad
/// requests — one at a time per process. Waiting requests await asynchronously instead of each blocking a
/// thread on the database's write lock, so a burst never starves the thread pool (/healthz, reads, answers).
/// Reservations that arrive while a write waits for the lock (SQLite's single writer is busy with a group
/// commit's fsync) are taken together in one transaction, so they reach the batcher together. When nothing
/// waits and no write is under way, the request's own thread reserves: no hand-over to the loop and back.
/// </summary>
public sealed class Admission : IDisposable
{
    private readonly UsageLedger _ledger;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Channel<(ApiKey Key, Plan Plan, int Inputs, TaskCompletionSource<Reservation> Done)> _reservations =
        Channel.CreateUnbounded<(ApiKey, Plan, int, TaskCompletionSource<Reservation>)>(new UnboundedChannelOptions()); // not SingleReader: that kind cannot Count, which the fast path reads

    private long _writes;
    private long _writeTicks;

    public Admission(UsageLedger ledger)
    {
        _ledger = ledger;
        _ = Task.Run(ReserveLoopAsync);
    }

    /// <summary>
    /// Write transactions so far (reservations, alone or together, refunds, counted bad requests) and the seconds spent in
    /// them, waiting for the database's write lock included.
    /// </summary>
    public (long Writes, double Seconds) Counters => (Interlocked.Read(ref _writes), (double)Interlocked.Read(ref _writeTicks) / Stopwatch.Frequency);

    /// <summary>See <see cref="UsageLedger.Reserve(ApiKey, Plan, int)"/>.</summary>
    public Task<Reservation> ReserveAsync(ApiKey key, Plan plan, int inputs)
    {
        if (_reservations.Reader.Count == 0 && _writer.Wait(0))
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    return Task.FromResult(_ledger.Reserve(key, plan, inputs));
                }
                finally
                {
                    Count(started);
                }
            }
            finally
            {
                _writer.Release();
            }
        }

        var done = new TaskCompletionSource<Reservation>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_reservations.Writer.TryWrite((key, plan, inputs, done)))
            done.SetException(new InvalidOperationException("The server is shutting down; nothing was reserved or billed."));
        return done.Task;
    }

    private async Task ReserveLoopAsync()
    {
        var reader = _reservations.Reader;
        var batch = new List<(ApiKey Key, Plan Plan, int Inputs, TaskCompletionSource<Reservation> Done)>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 512 && reader.TryRead(out var item))
                batch.Add(item);
            try
            {
                var reservations = await RunAsync(() => _ledger.Reserve([.. batch.Select(b => (b.Key, b.Plan, b.Inputs))])).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.SetResult(reservations[i]);
            }
#pragma warning disable CA1031 // a failed write fails its requests (503 upstream); the loop keeps going
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var item in batch)
                    item.Done.TrySetException(e);
            }
        }
    }

    /// <summary>See <see cref="UsageLedger.Refund"/>.</summary>
    public Task RefundAsync(Reservation reservation) => RunAsync(() =>
    {
        _ledger.Refund(reservation);
        return true;
    });

    /// <summary>See <see cref="UsageLedger.CountRequest"/>.</summary>
    public Task CountRequestAsync(ApiKey key, Plan plan) => RunAsync(() =>
    {
        _ledger.CountRequest(key, plan);
        return true;
    });

    private async Task<T> RunAsync<T>(Func<T> work)
    {
        await _writer.WaitAsync().ConfigureAwait(false);
        try
        {
            return Timed(work);
        }
        finally
        {
            _writer.Release();
        }
    }

    private T Timed<T>(Func<T> work)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Count(started);
        }
    }

    private void Count(long started)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _writeTicks, Stopwatch.GetTimestamp() - started);
    }

    public void Dispose()
    {
        _reservations.Writer.TryComplete();
        _writer.Dispose();
    }
}
