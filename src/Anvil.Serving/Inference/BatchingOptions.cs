namespace Anvil.Serving.Inference;

/// <summary>
/// Bounds of the adaptive batcher, as Triton's dynamic batcher has them: at most
/// <see cref="MaxBatchSize"/> samples per ONNX Runtime run, and a request waits at most
/// <see cref="MaxQueueDelay"/> for others to join it. <see cref="MaxBatchSize"/> = 1 turns batching off.
/// </summary>
public sealed record BatchingOptions(int MaxBatchSize = 32, TimeSpan MaxQueueDelay = default)
{
    public static BatchingOptions Default { get; } = new(32, TimeSpan.FromMilliseconds(2));

    /// <summary>Requests waiting beyond this many are refused with 503 instead of queueing without bound.</summary>
    public int MaxQueuedRequests { get; init; } = 4096;

    public void Validate()
    {
        if (MaxBatchSize is < 1 or > 4096)
            throw new ArgumentException($"--max-batch-size must be between 1 and 4096 (1 turns batching off); got {MaxBatchSize}.");
        if (MaxQueueDelay < TimeSpan.Zero || MaxQueueDelay > TimeSpan.FromSeconds(1))
            throw new ArgumentException($"--max-queue-delay-ms must be between 0 and 1000; got {MaxQueueDelay.TotalMilliseconds}.");
    }
}
