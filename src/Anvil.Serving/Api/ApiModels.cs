using System.ComponentModel;
using System.Text.Json;
using Anvil.Registry.Versions;

namespace Anvil.Serving.Api;

/// <summary>Body of POST /v1/models/{name}/predict: samples shaped as the model's input signature.</summary>
public sealed record PredictRequest(
    [property: Description("One item per input. Images and feature vectors: numbers shaped as the signature (nested, or one flat array). " +
        "Series models: a window of exactly preprocessing.sequence_length steps, oldest first, e.g. [[...72 values...]] (no null, NaN or Infinity). " +
        "Text models (input_kind \"tokens\"): strings, e.g. [\"Win a free cruise!\"].")]
    IReadOnlyList<JsonElement> Inputs);

/// <summary>What a predict call returns; <see cref="RequestId"/> is the Idempotency-Key when one was sent.</summary>
public sealed record PredictResponse(string RequestId, string Model, int Version, IReadOnlyList<PredictionResult> Predictions);

/// <summary>
/// One input's prediction and the model version that made it; <c>id</c> is what feedback refers to. A
/// classifier answers <c>label</c>, <c>label_index</c> and <c>probabilities</c>; a forecaster (output_kind
/// "values") answers <c>forecast</c>; a text model adds <c>truncated</c>. Fields that do not apply are left out.
/// </summary>
public sealed record PredictionResult
{
    public required string Id { get; init; }

    [Description("Classifiers: the most probable class.")]
    public string? Label { get; init; }

    [Description("Classifiers: the index of label in the signature's class_labels.")]
    public int? LabelIndex { get; init; }

    [Description("Classifiers: the probability of every class, by name.")]
    public IReadOnlyDictionary<string, float>? Probabilities { get; init; }

    [Description("Forecasters (output_kind \"values\"): one value per step of the horizon, in the targets' unit, ordered as the signature's class_labels (\"t+1\", \"t+2\", ...).")]
    public IReadOnlyList<float>? Forecast { get; init; }

    [Description("Text models: true when the text had more tokens than the model reads (preprocessing.tokenizer.max_length) and only the first ones were used.")]
    public bool? Truncated { get; init; }

    public required int Version { get; init; }
}

/// <summary>A model the caller's organization may use, with the signature of the version it is served at.</summary>
public sealed record ModelSummary(
    string Name,
    int LatestVersion,
    IReadOnlyDictionary<string, int> Aliases,
    int ServedVersion,
    string Architecture,
    [property: Description("What a client sends: \"image\", \"features\", \"series\" (a window of preprocessing.sequence_length steps) or \"tokens\" (texts).")] string InputKind,
    [property: Description("What a prediction holds: \"probabilities\" (a classifier) or \"values\" (a forecast).")] string OutputKind,
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

/// <summary>One feedback read back: the correct label given and what the model version had predicted.</summary>
public sealed record FeedbackItemResponse(string PredictionId, string Model, int Version, string Predicted, string Label, int LabelIndex, string? Comment, DateTimeOffset CreatedAt);

/// <summary>GET /v1/feedback: a page of feedback, newest first; next_cursor reads the next page and is absent after the last.</summary>
public sealed record FeedbackListResponse(IReadOnlyList<FeedbackItemResponse> Items, string? NextCursor);
