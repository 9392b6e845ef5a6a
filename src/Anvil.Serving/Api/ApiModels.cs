using System.Text.Json;
using Anvil.Registry.Versions;

namespace Anvil.Serving.Api;

/// <summary>Body of POST /v1/models/{name}/predict: samples shaped as the model's input signature.</summary>
public sealed record PredictRequest(IReadOnlyList<JsonElement> Inputs);

/// <summary>What a predict call returns; <see cref="RequestId"/> is the Idempotency-Key when one was sent.</summary>
public sealed record PredictResponse(string RequestId, string Model, int Version, IReadOnlyList<PredictionResult> Predictions);

/// <summary>One input's prediction and the model version that made it; <see cref="Id"/> is what feedback refers to.</summary>
public sealed record PredictionResult(string Id, string Label, int LabelIndex, IReadOnlyDictionary<string, float> Probabilities, int Version);

/// <summary>A model the caller's organization may use, with the signature of the version it is served at.</summary>
public sealed record ModelSummary(
    string Name,
    int LatestVersion,
    IReadOnlyDictionary<string, int> Aliases,
    int ServedVersion,
    string Architecture,
    ModelSignature Signature,
    ModelPreprocessing Preprocessing,
    DateTimeOffset CreatedAt);

/// <summary>A model and every one of its versions.</summary>
public sealed record ModelDetail(ModelSummary Model, IReadOnlyList<VersionSummary> Versions);

/// <summary>One immutable version: its manifest digest, origin and metrics.</summary>
public sealed record VersionSummary(int Version, string ManifestDigest, string? RunId, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, double> Metrics);

/// <summary>Body of POST /v1/predictions/{id}/feedback: the correct label (name or index) and an optional comment.</summary>
public sealed record FeedbackRequest(JsonElement Label, string? Comment);

/// <summary>Feedback as stored with the logged input.</summary>
public sealed record FeedbackResponse(string PredictionId, int Label, string LabelName, string? Comment, DateTimeOffset CreatedAt);

/// <summary>GET /v1/usage: usage by day and model over a period, and the invoice of the current month.</summary>
public sealed record UsageResponse(string Organization, DateOnly From, DateOnly To, IReadOnlyList<UsageDayResponse> Days, InvoiceResponse Invoice);

public sealed record UsageDayResponse(DateOnly Day, string Model, long Requests, long Predictions);

public sealed record InvoiceResponse(int Year, int Month, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, long BilledPredictions, IReadOnlyList<InvoiceLineResponse> Lines, long TotalMicros, string TotalUsd);

public sealed record InvoiceLineResponse(string Plan, string Model, long Predictions, long PricePer1000Micros, long AmountMicros);
