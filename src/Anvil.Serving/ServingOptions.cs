using Anvil.Serving.Inference;

namespace Anvil.Serving;

/// <summary>What <c>./anvil serve</c> can be told; every default is safe for a public network edge.</summary>
public sealed record ServingOptions
{
    /// <summary>Loopback unless told otherwise.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    public BatchingOptions Batching { get; init; } = BatchingOptions.Default;

    /// <summary>The data directory, where the dashboard's run pages find run artifacts; null resolves it as <c>./anvil</c> does.</summary>
    public Anvil.Registry.AnvilHome? Home { get; init; }

    /// <summary>Largest request body accepted (JSON or image upload).</summary>
    public long MaxBodyBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Most inputs in one predict request; the key's plan may allow fewer.</summary>
    public int MaxInputsPerRequest { get; init; } = 1024;

    /// <summary>Most image files in one multipart request: decoding is the costly part of an image request.</summary>
    public int MaxImagesPerRequest { get; init; } = 64;

    /// <summary>Largest decoded image, checked from the header before any pixel is decoded.</summary>
    public long MaxImagePixels { get; init; } = 4096L * 4096;

    /// <summary>Most pixels one request's images may add up to, checked from their headers before any is decoded.</summary>
    public long MaxRequestPixels { get; init; } = 4096L * 4096;

    /// <summary>Images decoded at the same time (each on its own thread).</summary>
    public int DecodeSlots { get; init; } = Environment.ProcessorCount;

    /// <summary>How long a request waits for a decode slot before it gets 503.</summary>
    public TimeSpan DecodeWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Slowest accepted upload after a 5 s grace period; a slower client is cut off instead of pinning a buffer for hours.</summary>
    public double MinUploadBytesPerSecond { get; init; } = 16 * 1024;

    /// <summary>How often aliases are re-read from the catalog (hot swap latency).</summary>
    public TimeSpan AliasPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A version no alias points at is unloaded after this long without requests.</summary>
    public TimeSpan IdleVersionLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most model versions (ONNX Runtime sessions) loaded at once; the least recently used idle one makes room.</summary>
    public int MaxLoadedVersions { get; init; } = 64;

    /// <summary>Most versions one organization's requests may keep loaded, so one tenant cannot push out the others'.</summary>
    public int MaxLoadedVersionsPerOrganization { get; init; } = 8;

    /// <summary>ONNX Runtime intra-op threads per session.</summary>
    public int InferenceThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Where /metrics is served for the operator (e.g. http://127.0.0.1:9464), apart from the API's
    /// <see cref="Urls"/>; null serves it on no listener of its own.
    /// </summary>
    public string? MetricsUrls { get; init; }

    /// <summary>
    /// A bearer token that opens /metrics on the API's own listener; null keeps it closed there, since a
    /// reverse proxy on the same host makes every public request look local.
    /// </summary>
    public string? MetricsToken { get; init; }

    /// <summary>Most usage events written in one ledger transaction (group commit).</summary>
    public int MaxLedgerBatch { get; init; } = 512;

    /// <summary>
    /// How long an Idempotency-Key replays its billed answer; after it the same key is a new request, inferred
    /// and billed again (the first one's billing rows stay).
    /// </summary>
    public TimeSpan IdempotencyWindow { get; init; } = UsageLedger.DefaultIdempotencyWindow;
}
