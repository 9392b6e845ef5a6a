using System.Collections.Concurrent;

namespace Anvil.Registry.Storage;

/// <summary>
/// One writer at a time per SQLite file within this process, queued on a semaphore that wakes the next writer the
/// moment the last one has committed. SQLite has one write lock per database; a connection that finds it taken sleeps
/// in its busy handler (1, 2, 5, 10 ms and longer) and tries again, so two writers of one process that collided (a
/// reservation and a usage commit) lost milliseconds asleep on a lock held for a fraction of one
/// (docs/decisions/0005-serving-path.md). Other processes still meet SQLite's own lock and busy timeout.
/// </summary>
internal static class WriterGate
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits until no other writer of this process is in a transaction on <paramref name="path"/>; dispose the result
    /// once the transaction has committed or rolled back. Null when <paramref name="timeout"/> passed first.
    /// </summary>
    public static IDisposable? Enter(string path, TimeSpan timeout)
    {
        var gate = Gates.GetOrAdd(path, _ => new Gate());
        Interlocked.Increment(ref gate.Waiting);
        try
        {
            return gate.Semaphore.Wait(timeout) ? new Entered(gate.Semaphore) : null;
        }
        finally
        {
            Interlocked.Decrement(ref gate.Waiting);
        }
    }

    /// <summary>Writers of this process waiting at the gate of <paramref name="path"/> right now.</summary>
    public static int Waiting(string path) => Gates.TryGetValue(path, out var gate) ? Volatile.Read(ref gate.Waiting) : 0;

#pragma warning disable CA1001 // a gate lives as long as the process, like the file's lock it stands for
    private sealed class Gate
#pragma warning restore CA1001
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Waiting;
    }

    private sealed class Entered(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }
}
