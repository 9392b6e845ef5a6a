using System.Collections.Concurrent;

namespace Anvil.Registry.Storage;

/// <summary>
/// One writer at a time per SQLite file within this process, queued on a semaphore that wakes the next writer the
/// moment the last one has committed. SQLite has one write lock per database; a connection that finds it taken sleeps
/// in its busy handler (1, 2, 5, 10 ms and longer) and tries again, so two writers of one process that collided (a
/// reservation and a usage commit) lost milliseconds asleep on a lock held for a fraction of one
/// (docs/decisions/0005-serving-path.md). Other processes still meet SQLite's own lock and busy timeout.
/// </summary>
#pragma warning disable CA1001 // a gate lives as long as the process, like the file's lock it stands for
internal sealed class WriterGate
#pragma warning restore CA1001
{
    private static readonly ConcurrentDictionary<string, WriterGate> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _semaphore = new(1, 1);

    private WriterGate()
    {
    }

    /// <summary>The gate of the file at <paramref name="path"/> (a full path): the same for every opener in this process.</summary>
    public static WriterGate Of(string path) => Gates.GetOrAdd(path, _ => new WriterGate());

    /// <summary>
    /// Waits until no other writer of this process is in a transaction on the file; dispose the result once the
    /// transaction has committed or rolled back. Null when <paramref name="timeout"/> passed first.
    /// </summary>
    public IDisposable? Enter(TimeSpan timeout) => _semaphore.Wait(timeout) ? new Entered(_semaphore) : null;

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
