using System.Diagnostics;

namespace Anvil.Serving.Inference;

/// <summary>
/// Runs requests that arrive together as one ONNX Runtime batch. The loop takes the first waiting
/// request, then keeps adding requests until the batch is full, the first request has waited
/// <see cref="BatchingOptions.MaxQueueDelay"/>, or no other request is on its way (announced but not
/// yet queued) — so a lone request never waits for company that is not coming. Requests wait in a
/// <see cref="FairQueue{T}"/>: bounded in samples, with a share per organization, drained round-robin.
/// A request that finds the queue empty, nobody else on the way and the model idle runs on its own thread:
/// it would be a batch of one anyway, and the hand-over to the loop and back cost more than the model.
/// </summary>
public sealed class AdaptiveBatcher : IAsyncDisposable
{
    private readonly OnnxPredictor _predictor;
    private readonly BatchingOptions _options;
    private readonly FairQueue<Pending> _queue;
    private readonly Task _loop;
    private readonly Array _input; // float[] or long[], as the model's input
    private readonly float[] _output;
    private readonly SemaphoreSlim _running = new(1, 1); // one batch at a time owns _input, _output and the session
    private int _arriving;
    private long _batches;
    private long _samples;

    public AdaptiveBatcher(OnnxPredictor predictor, BatchingOptions options)
    {
        options.Validate();
        _predictor = predictor;
        _options = options;
        _queue = new FairQueue<Pending>(options.MaxQueuedSamples, options.MaxQueuedSamplesPerOrganization);
        _input = predictor.NewInput(options.MaxBatchSize);
        _output = new float[options.MaxBatchSize * predictor.Outputs];
        _loop = Task.Run(RunLoopAsync);
    }

    /// <summary>Batches run so far and the samples in them (their ratio is the mean batch size).</summary>
    public (long Batches, long Samples) Counters => (Interlocked.Read(ref _batches), Interlocked.Read(ref _samples));

    public int SampleSize => _predictor.SampleSize;

    /// <summary>Output values per sample (see <see cref="OnnxPredictor.Outputs"/>).</summary>
    public int Outputs => _predictor.Outputs;

    /// <summary>
    /// Tells the batcher a request is on its way (being read and validated); dispose the result when it
    /// has been queued or given up. The batcher holds a batch open only while someone is on the way.
    /// </summary>
    public Arrival Announce()
    {
        Interlocked.Increment(ref _arriving);
        return new Arrival(this);
    }

    /// <summary>
    /// Queues <paramref name="count"/> samples (back to back in <paramref name="samples"/>) of
    /// <paramref name="organizationId"/> and returns count × <see cref="Outputs"/> values. The samples are a
    /// float[] or long[] as the model's <see cref="OnnxPredictor.ElementType"/>. False from
    /// <paramref name="accepted"/> means the queue, or the organization's share of it, is full.
    /// </summary>
    public Task<float[]> PredictAsync(string organizationId, Array samples, int count, out bool accepted)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Length != count * _predictor.SampleSize || samples.GetType().GetElementType() != _predictor.ElementType)
            throw new ArgumentException($"Expected {count} × {_predictor.SampleSize} values of {_predictor.ElementType.Name}, got {samples.Length} of {samples.GetType().GetElementType()?.Name}.", nameof(samples));
        var pending = new Pending(samples, count, Stopwatch.GetTimestamp(), new(TaskCreationOptions.RunContinuationsAsynchronously));
        if (count <= _options.MaxBatchSize && _queue.IsEmpty && Volatile.Read(ref _arriving) <= 1 && _running.Wait(0))
        {
            try
            {
                if (_queue.IsEmpty) // nothing was queued meanwhile that should go first
                {
                    Run([pending], count);
                    accepted = true;
                    return pending.Done.Task;
                }
            }
            finally
            {
                _running.Release();
            }
        }

        accepted = _queue.TryEnqueue(organizationId, pending, count);
        return accepted ? pending.Done.Task : Task.FromResult(Array.Empty<float>());
    }

    private async Task RunLoopAsync()
    {
        var batch = new List<Pending>(_options.MaxBatchSize);
        while (await _queue.WaitToReadAsync().ConfigureAwait(false))
        {
            await _running.WaitAsync().ConfigureAwait(false);
            try
            {
                await CollectAndRunAsync(batch).ConfigureAwait(false);
            }
            finally
            {
                _running.Release();
            }
        }
    }

    /// <summary>Takes the first waiting request and those that join it within the delay, and runs them.</summary>
    private async Task CollectAndRunAsync(List<Pending> batch)
    {
        batch.Clear();
        if (!_queue.TryTake(int.MaxValue, out var first, out var total))
            return;
        batch.Add(first);
        var deadline = first.QueuedAt + (long)(_options.MaxQueueDelay.TotalSeconds * Stopwatch.Frequency);
        while (total < _options.MaxBatchSize)
        {
            if (_queue.TryTake(_options.MaxBatchSize - total, out var next, out var count))
            {
                batch.Add(next);
                total += count;
                continue;
            }

            if (!_queue.IsEmpty)
                break; // the next request does not fit in this batch
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (Volatile.Read(ref _arriving) == 0 || remaining <= 0)
                break;
            var wait = _queue.WaitToReadAsync();
            await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency))).ConfigureAwait(false);
            if (wait.IsCompleted && !wait.Result)
                break; // closed
        }

        Run(batch, total);
    }

    private void Run(List<Pending> batch, int total)
    {
        try
        {
            if (batch.Count == 1 && total > _options.MaxBatchSize)
            {
                batch[0].Done.SetResult(RunInChunks(batch[0]));
                return;
            }

            var offset = 0;
            foreach (var pending in batch)
            {
                Array.Copy(pending.Samples, 0, _input, offset, pending.Samples.Length);
                offset += pending.Samples.Length;
            }

            _predictor.Run(_input, total, _output);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _samples, total);
            var at = 0;
            foreach (var pending in batch)
            {
                var length = pending.Count * _predictor.Outputs;
                pending.Done.SetResult(_output.AsSpan(at, length).ToArray());
                at += length;
            }
        }
#pragma warning disable CA1031 // a failed run fails its requests, never the loop that serves the next ones
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var pending in batch)
                pending.Done.TrySetException(e);
        }
    }

    private float[] RunInChunks(Pending pending)
    {
        var result = new float[pending.Count * _predictor.Outputs];
        for (var start = 0; start < pending.Count; start += _options.MaxBatchSize)
        {
            var count = Math.Min(_options.MaxBatchSize, pending.Count - start);
            Array.Copy(pending.Samples, start * _predictor.SampleSize, _input, 0, count * _predictor.SampleSize);
            _predictor.Run(_input, count, result.AsSpan(start * _predictor.Outputs, count * _predictor.Outputs));
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _samples, count);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Complete();
        await _loop.ConfigureAwait(false);
        _running.Dispose();
    }

    private sealed record Pending(Array Samples, int Count, long QueuedAt, TaskCompletionSource<float[]> Done);

    /// <summary>A request on its way to the batcher; see <see cref="Announce"/>.</summary>
    public sealed class Arrival(AdaptiveBatcher batcher) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                Interlocked.Decrement(ref batcher._arriving);
        }
    }
}
