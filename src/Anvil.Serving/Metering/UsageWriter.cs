using System.Diagnostics;
using System.Threading.Channels;
using Anvil.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Serving.Metering;

/// <summary>
/// Group commit for the usage ledger: requests finished at the same time are written in one
/// transaction (one fsync), each under its own savepoint, and every request waits for that commit
/// before it answers — so an answered prediction is always billed, and a billed one was answered or
/// can be fetched again with its Idempotency-Key. When no commit is under way and none waits, the
/// request's own thread commits it (a group of one), sparing the hand-over to the writer and back.
/// </summary>
public sealed partial class UsageWriter(UsageLedger ledger, ServingOptions options, ILogger<UsageWriter> logger) : BackgroundService
{
    private readonly Channel<(UsageRequest Request, TaskCompletionSource<UsageOutcome> Done)> _queue =
        Channel.CreateUnbounded<(UsageRequest, TaskCompletionSource<UsageOutcome>)>(new UnboundedChannelOptions()); // not SingleReader: that kind cannot Count, which the fast path reads

    private readonly SemaphoreSlim _committing = new(1, 1);
    private volatile bool _stopping;
    private long _commits;
    private long _committedRequests;
    private long _commitTicks;

    /// <summary>
    /// Group commits so far, the requests in them (their ratio is the mean group) and the seconds spent committing, the
    /// flush included (its rate is how busy the ledger's one durable writer is: near 1, requests queue for it).
    /// </summary>
    public (long Commits, long Requests, double Seconds) Counters =>
        (Interlocked.Read(ref _commits), Interlocked.Read(ref _committedRequests), (double)Interlocked.Read(ref _commitTicks) / Stopwatch.Frequency);

    public Task<UsageOutcome> RecordAsync(UsageRequest request)
    {
        if (!_stopping && _queue.Reader.Count == 0 && _committing.Wait(0))
        {
            try
            {
                return Task.FromResult(Commit([request])[0]);
            }
            finally
            {
                _committing.Release();
            }
        }

        var done = new TaskCompletionSource<UsageOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((request, done)))
            done.SetException(new InvalidOperationException("The server is shutting down; nothing was billed. Retry with the same Idempotency-Key."));
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken) // runs until the queue is completed and drained
    {
        var reader = _queue.Reader;
        var batch = new List<(UsageRequest Request, TaskCompletionSource<UsageOutcome> Done)>();
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < options.MaxLedgerBatch && reader.TryRead(out var item))
                batch.Add(item);
            await _committing.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                var outcomes = Commit([.. batch.Select(b => b.Request)]);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.SetResult(outcomes[i]);
            }
#pragma warning disable CA1031 // a failed commit fails its requests (nothing billed); the writer keeps going
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var item in batch)
                    item.Done.TrySetException(e);
            }
            finally
            {
                _committing.Release();
            }
        }
    }

    private IReadOnlyList<UsageOutcome> Commit(UsageRequest[] group)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return ledger.Record(group);
        }
        catch (UnconfirmedWriteException e)
        {
            LogFlushFailed(group.Length, e.Message); // committed: the group is billed once the log reaches the disk
            throw;
        }
        catch (Exception e)
        {
            LogCommitFailed(group.Length, e.GetType().Name, e.Message); // the transaction rolled back whole: nothing of the group is billed
            throw;
        }
        finally
        {
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _committedRequests, group.Length);
            Interlocked.Add(ref _commitTicks, Stopwatch.GetTimestamp() - started);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete(); // finish what was accepted, then stop
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _committing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage commit of {Requests} requests failed and rolled back; they were answered 503 and nothing was billed ({Error}: {Reason})")]
    private partial void LogCommitFailed(int requests, string error, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Usage of {Requests} requests was committed but the disk did not confirm it; they were answered 503 without their answers and may be billed. Check the disk: {Reason}")]
    private partial void LogFlushFailed(int requests, string reason);
}
