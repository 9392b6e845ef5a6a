namespace Anvil.Serving.Inference;

/// <summary>
/// Bounds of the adaptive batcher, as Triton's dynamic batcher has them: at most
/// <see cref="MaxBatchSize"/> samples per ONNX Runtime run, and a request waits at most
/// <see cref="MaxQueueDelay"/> for others to join it. <see cref="MaxBatchSize"/> = 1 turns batching off.
/// </summary>
public sealed record BatchingOptions(int MaxBatchSize = 32, TimeSpan MaxQueueDelay = default)
{
    public static BatchingOptions Default { get; } = new(32, TimeSpan.FromMilliseconds(2));

    /// <summary>Samples waiting beyond this many (over all organizations) are refused with 503 instead of queueing without bound.</summary>
    public int MaxQueuedSamples { get; init; } = 8192;

    /// <summary>
    /// One organization's share of the queue, in samples: a flood by one tenant is refused once it holds this
    /// many, while the others still get in. At least the largest plan's inputs per request (1,024).
    /// </summary>
    public int MaxQueuedSamplesPerOrganization { get; init; } = 2048;

    public void Validate()
    {
        if (MaxBatchSize is < 1 or > 4096)
            throw new ArgumentException($"--max-batch-size must be between 1 and 4096 (1 turns batching off); got {MaxBatchSize}.");
        if (MaxQueueDelay < TimeSpan.Zero || MaxQueueDelay > TimeSpan.FromSeconds(1))
            throw new ArgumentException($"--max-queue-delay-ms must be between 0 and 1000; got {MaxQueueDelay.TotalMilliseconds}.");
        if (MaxQueuedSamplesPerOrganization < 1 || MaxQueuedSamples < MaxQueuedSamplesPerOrganization)
            throw new ArgumentException($"The queue must hold at least one organization's share: {MaxQueuedSamples} samples < {MaxQueuedSamplesPerOrganization} per organization.");
    }
}
