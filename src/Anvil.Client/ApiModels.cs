using System.Text.Json;

namespace Anvil.Client;

// The /v1 answers, field for field as docs/openapi.json names them (snake_case on the wire).

/// <summary>The answer to a predict request: one result per input, in order.</summary>
public sealed record PredictResponse(string RequestId, string Model, long Version, IReadOnlyList<PredictionResult> Predictions);

/// <summary>
/// One input's answer: a classifier's <see cref="Label"/>, <see cref="LabelIndex"/> and <see cref="Probabilities"/>,
/// or a forecaster's <see cref="Forecast"/>. <see cref="Id"/> is what feedback refers to.
/// </summary>
public sealed record PredictionResult(
    string Id, string? Label, int? LabelIndex, IReadOnlyDictionary<string, double>? Probabilities,
    IReadOnlyList<double>? Forecast, bool? Truncated, long Version);

public sealed record ModelSummary(
    string Name, long LatestVersion, IReadOnlyDictionary<string, long> Aliases, long ServedVersion, string Architecture,
    string InputKind, string OutputKind, JsonElement Signature, JsonElement Preprocessing, DateTimeOffset CreatedAt);

public sealed record VersionSummary(long Version, string ManifestDigest, string? RunId, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, double> Metrics);

public sealed record ModelDetail(ModelSummary Model, IReadOnlyList<VersionSummary> Versions);

public sealed record FeedbackResponse(string PredictionId, int Label, string LabelName, string? Comment, DateTimeOffset CreatedAt);

/// <summary>One generated image: its billed prediction id and the PNG bytes (base64 on the wire).</summary>
public sealed record GeneratedImage(string Id, int Width, int Height, string PngBase64)
{
    public byte[] Png() => Convert.FromBase64String(PngBase64);
}

/// <summary>A generator's answer: the seed it used and one PNG per requested image.</summary>
public sealed record GenerateResponse(long Seed, string MediaType, IReadOnlyList<GeneratedImage> Images);

/// <summary>One feedback item: what the model predicted and the label the client gave.</summary>
public sealed record FeedbackItem(string PredictionId, string Model, long Version, string Predicted, string Label, int LabelIndex, string? Comment, DateTimeOffset CreatedAt);

/// <summary>A page of feedback, newest first; pass <see cref="NextCursor"/> for the next page (null after the last).</summary>
public sealed record FeedbackPage(IReadOnlyList<FeedbackItem> Items, string? NextCursor);

public sealed record UsageDay(DateOnly Day, string Model, long Requests, long Predictions);

public sealed record InvoiceLine(string Plan, string Model, long Predictions, long PricePer1000Micros, long AmountMicros);

public sealed record Invoice(
    int Year, int Month, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, long BilledPredictions, IReadOnlyList<InvoiceLine> Lines,
    long TotalMicros, string TotalUsd);

public sealed record UsageResponse(string Organization, DateOnly From, DateOnly To, IReadOnlyList<UsageDay> Days, Invoice Invoice);

/// <summary>Which version answers, and the Idempotency-Key that makes a retried or replayed call bill once.</summary>
/// <param name="Alias">Route to this alias (default: the server's champion).</param>
/// <param name="Version">Route to this version number; excludes <paramref name="Alias"/>.</param>
/// <param name="IdempotencyKey">
/// The key of this logical call; null makes a fresh one, reused by every retry of the call. Give your own
/// (e.g. an order id) to stay exactly-once across a restart of your process.
/// </param>
public sealed record PredictOptions(string? Alias = null, long? Version = null, string? IdempotencyKey = null);
