using System.Threading.Channels;
using Anvil.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Serving.Metering;

/// <summary>
/// Group commit for the usage ledger: requests finished at the same time are written in one
/// transaction (one fsync), each under its own savepoint, and every request waits for that commit
/// before it answers — so an answered prediction is always billed, and a billed one was answered or
/// can be fetched again with its Idempotency-Key.
/// </summary>
public sealed partial class UsageWriter(UsageLedger ledger, ServingOptions options, ILogger<UsageWriter> logger) : BackgroundService
{
    private readonly Channel<(UsageRequest Request, TaskCompletionSource<UsageOutcome> Done)> _queue =
        Channel.CreateUnbounded<(UsageRequest, TaskCompletionSource<UsageOutcome>)>(new UnboundedChannelOptions { SingleReader = true });

    public Task<UsageOutcome> RecordAsync(UsageRequest request)
    {
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
            try
            {
                var outcomes = ledger.Record([.. batch.Select(b => b.Request)]);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.SetResult(outcomes[i]);
            }
#pragma warning disable CA1031 // a failed commit fails its requests (nothing billed); the writer keeps going
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCommitFailed(batch.Count, e.GetType().Name, e.Message); // the transaction rolled back whole: nothing of the group is billed
                foreach (var item in batch)
                    item.Done.TrySetException(e);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete(); // finish what was accepted, then stop
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage commit of {Requests} requests failed and rolled back; they were answered 503 and nothing was billed ({Error}: {Reason})")]
    private partial void LogCommitFailed(int requests, string error, string reason);
}
