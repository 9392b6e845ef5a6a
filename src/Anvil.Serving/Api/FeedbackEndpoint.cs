using System.Text.Json;
using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Serving.Inference;
using Anvil.Serving.Inputs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Anvil.Serving.Api;

/// <summary>
/// POST /v1/predictions/{id}/feedback: the correct label (a class name or index) and an optional
/// comment, stored next to the logged input so it can become training data.
/// </summary>
public static partial class FeedbackEndpoint
{
    /// <summary>The 503 of a feedback whose write was committed but not confirmed on disk.</summary>
    public const string UnconfirmedProblem = "The feedback may have been saved, but the server's disk did not confirm it. Send it again in a few seconds: a second feedback on a prediction replaces the first.";

    private const int MaxBodyBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Strict = new(ApiJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false, // {"label":1,"label":2} is refused, as predict refuses a second "inputs"
    };

    public static async Task<IResult> HandleAsync(
        string id, HttpContext context, UsageLedger ledger, FeedbackStore feedback, FeedbackLimiter limiter, ModelRouter router, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logs);
        try
        {
            return await StoreAsync(id, context, ledger, feedback, limiter, router).ConfigureAwait(false);
        }
        catch (UnconfirmedWriteException e)
        {
            // committed, its flush refused (an I/O error): the same feedback again is harmless, it replaces this one
            var logger = logs.CreateLogger(typeof(FeedbackEndpoint));
            LogFlushFailed(logger, e.Message);
            context.Response.Headers.RetryAfter = "5";
            return Problems.Of(503, UnconfirmedProblem);
        }
    }

    private static async Task<IResult> StoreAsync(
        string id, HttpContext context, UsageLedger ledger, FeedbackStore feedback, FeedbackLimiter limiter, ModelRouter router)
    {
        var caller = Caller.From(context);
        if (limiter.TryAdmit(caller.Key, caller.Plan) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Of(429, $"Plan '{caller.Plan.Name}' allows {caller.Plan.RequestsPerMinute:N0} requests per minute, feedback included; retry in {seconds} s.");
        }

        try
        {
            if (!context.Request.HasJsonContentType())
                throw new InputException(415, "Send feedback as JSON with the header 'Content-Type: application/json'.");
            var body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
            var prediction = id.Contains('\0', StringComparison.Ordinal) ? null : ledger.FindPrediction(caller.OrganizationId, id);
            if (prediction is null || !caller.Key.MayUse(prediction.ModelName))
                return Problems.Of(404, $"Your organization has no prediction '{id}'. Logged predictions are kept for their model's retention period (see ./anvil models log-policy), then pruned.");
            var version = router.Version(caller.OrganizationId, prediction.ModelName, prediction.ModelVersion)
                ?? throw new InvalidOperationException($"Prediction '{id}' names a version that is not in the catalog.");
            var manifest = router.Manifest(version);
            if (manifest.OutputKind == ModelManifest.Values)
                throw new InputException(422, $"Prediction '{id}' is a forecast of model '{prediction.ModelName}'; feedback names a class, and a forecaster has none, so its predictions take no feedback.");
            var labels = manifest.Signature.ClassLabels;
            var request = Parse(body);
            var label = LabelIndex(request.Label, labels);
            if (request.Comment is { Length: > 2000 })
                throw new InputException(400, $"The comment is {request.Comment.Length:N0} characters; the limit is 2,000.");
            if (request.Comment is not null && request.Comment.Contains('\0', StringComparison.Ordinal))
                throw new InputException(400, "The comment contains the NUL character (\\u0000), which is not stored; remove it.");
            var stored = feedback.Add(caller.OrganizationId, id, label, labels[label], request.Comment, caller.Key.Id);
            return stored is null
                ? Problems.Of(404, $"Your organization has no prediction '{id}'.")
                : Results.Json(new FeedbackResponse(stored.PredictionId, stored.Label, stored.LabelName, stored.Comment, stored.CreatedAt), ApiJson.Options, statusCode: 201);
        }
        catch (InputException e)
        {
            return Problems.Of(e.StatusCode, e.Message);
        }
    }

    private static FeedbackRequest Parse(byte[] body)
    {
        try
        {
            var request = JsonSerializer.Deserialize<FeedbackRequest>(body, Strict);
            if (request is null || request.Label.ValueKind == JsonValueKind.Undefined)
                throw new InputException(400, "Send {\"label\": \"<class name>\" or <class index>, \"comment\": \"optional\"}.");
            return request;
        }
        catch (JsonException e)
        {
            throw new InputException(400, $"The body is not valid feedback JSON: {e.Message} Send {{\"label\": \"<class name>\", \"comment\": \"optional\"}}.");
        }
    }

    private static int LabelIndex(JsonElement label, IReadOnlyList<string> labels)
    {
        if (label.ValueKind == JsonValueKind.Number && label.TryGetInt32(out var index) && index >= 0 && index < labels.Count)
            return index;
        if (label.ValueKind == JsonValueKind.String)
        {
            var name = label.GetString();
            for (var i = 0; i < labels.Count; i++)
            {
                if (string.Equals(labels[i], name, StringComparison.Ordinal))
                    return i;
            }
        }

        throw new InputException(400, $"label must be one of the model's classes ({string.Join(", ", labels.Select(l => $"\"{l}\""))}) or an index from 0 to {labels.Count - 1}; got {label.GetRawText()}.");
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "A feedback write was committed but the disk did not confirm it; answered 503. Check the disk: {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, string reason);
}
