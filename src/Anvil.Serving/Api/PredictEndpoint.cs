using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Anvil.Registry;
using Anvil.Serving.Inference;
using Anvil.Serving.Inputs;
using Anvil.Serving.Metering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Anvil.Serving.Api;

/// <summary>
/// POST /v1/models/{name}/predict — the path of one prediction: idempotency replay, plan limits,
/// input validated against the version's signature, the adaptive batcher, then the usage event
/// written (group-committed) before the answer leaves.
/// </summary>
public static class PredictEndpoint
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static async Task<IResult> HandleAsync(
        string name,
        HttpContext context,
        ModelRouter router,
        UsageLedger ledger,
        UsageWriter usage,
        ServingOptions options)
    {
        var caller = Caller.From(context);
        var request = context.Request;
        try
        {
            var (requestId, clientChosen) = RequestId(request);
            var (alias, version) = Selector(request);
            var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
            var requestHash = Hash(name, alias, version, request.ContentType, body);

            var replay = clientChosen ? ledger.FindReplay(caller.OrganizationId, requestId, requestHash) : null; // a fresh server id cannot be a replay
            if (replay is not null)
                return Answer(context, replay);
            var rate = ledger.Peek(caller.Key, caller.Plan);
            if (rate.RateLimited || rate.QuotaExceeded)
                return Limited(context, rate.QuotaExceeded ? UsageOutcomeStatus.QuotaExceeded : UsageOutcomeStatus.RateLimited, rate.RetryAfter, caller.Plan);

            using var lease = caller.Key.MayUse(name) ? router.Acquire(caller.OrganizationId, name, alias, version) : null;
            if (lease is null)
                return Problems.Of(404, NotFound(name, alias, version));
            var model = lease.Model;

            float[] probabilities;
            ModelInput input;
            using (var arrival = model.Batcher.Announce())
            {
                input = await ParseAsync(request, body, model, options).ConfigureAwait(false);
                var task = model.Batcher.PredictAsync(input.Samples, input.Count, out var accepted);
                arrival.Dispose();
                if (!accepted)
                {
                    context.Response.Headers.RetryAfter = "1";
                    return Problems.Of(503, "The model's queue is full; retry in a second.");
                }

                probabilities = await task.ConfigureAwait(false);
            }

            var (response, records) = Build(requestId, model, input, probabilities);
            var json = JsonSerializer.Serialize(response, ApiJson.Options);
            var outcome = await usage.RecordAsync(new UsageRequest(
                caller.Key, caller.Plan, requestId, requestHash, model.Version.ModelId, model.Version.ModelName,
                model.Version.Version, records, json)).ConfigureAwait(false);
            return outcome.Status == UsageOutcomeStatus.Accepted
                ? Results.Text(json, "application/json", Encoding.UTF8, 200)
                : Answer(context, outcome, caller.Plan);
        }
        catch (InputException e)
        {
            return Problems.Of(e.StatusCode, e.Message);
        }
        catch (RegistryException)
        {
            // the version's files failed verification (logged by the router with the path); never serve it
            return Problems.Of(503, $"Model '{name}' cannot be served: its files failed signature or digest verification. The operator must register it again.");
        }
    }

    private static IResult Answer(HttpContext context, UsageOutcome outcome, Plan? plan = null)
    {
        switch (outcome.Status)
        {
            case UsageOutcomeStatus.Replayed:
                context.Response.Headers[ReplayedHeader] = "true";
                return Results.Text(outcome.ResponseJson!, "application/json", Encoding.UTF8, 200);
            case UsageOutcomeStatus.IdempotencyConflict:
                return Problems.Of(422, $"This {IdempotencyHeader} was already used for a different request; use a new key for a new request.");
            default:
                return Limited(context, outcome.Status, outcome.RetryAfter, plan);
        }
    }

    private static IResult Limited(HttpContext context, UsageOutcomeStatus status, TimeSpan? retryAfter, Plan? plan)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var detail = status == UsageOutcomeStatus.QuotaExceeded
            ? $"The monthly quota of plan '{plan?.Name}' ({plan?.MonthlyQuota:N0} predictions) is used up; it resets in {seconds:N0} s. Move the key to a larger plan to continue now."
            : $"Plan '{plan?.Name}' allows {plan?.RequestsPerMinute:N0} requests per minute; retry in {seconds} s.";
        return Problems.Of(429, detail);
    }

    private static async Task<ModelInput> ParseAsync(HttpRequest request, byte[] body, LoadedModel model, ServingOptions options)
    {
        var manifest = model.Manifest;
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        switch (mediaType)
        {
            case "application/json":
                var shape = manifest.Signature.Inputs[0].Shape.Skip(1).ToArray();
                return JsonInputReader.Read(body, shape, options.MaxInputsPerRequest);
            case "image/png" or "image/jpeg":
                return ImageInputReader.Read([body], manifest.Preprocessing, options.MaxImagePixels);
            case "multipart/form-data":
                var files = await MultipartFiles.ReadAsync(body, parsed!, options.MaxInputsPerRequest).ConfigureAwait(false);
                return ImageInputReader.Read(files, manifest.Preprocessing, options.MaxImagePixels);
            default:
                throw new InputException(415, $"Content-Type '{request.ContentType}' is not accepted; send application/json {{\"inputs\": [...]}}, image/png, image/jpeg or multipart/form-data with image files.");
        }
    }

    private static (PredictResponse Response, List<PredictionRecord> Records) Build(string requestId, LoadedModel model, ModelInput input, float[] probabilities)
    {
        var labels = model.Manifest.Signature.ClassLabels;
        var classes = labels.Count;
        var shape = string.Join(",", model.Manifest.Signature.Inputs[0].Shape.Skip(1));
        var results = new List<PredictionResult>(input.Count);
        var records = new List<PredictionRecord>(input.Count);
        for (var i = 0; i < input.Count; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes);
            var best = 0;
            var byLabel = new Dictionary<string, float>(classes, StringComparer.Ordinal);
            for (var c = 0; c < classes; c++)
            {
                byLabel[labels[c]] = row[c];
                if (row[c] > row[best])
                    best = c;
            }

            var id = "pred_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            results.Add(new PredictionResult(id, labels[best], best, byLabel, model.Version.Version));
            records.Add(new PredictionRecord(id, model.Version.ModelName, model.Version.Version, input.SampleBytes(i), shape, best, labels[best], row.ToArray()));
        }

        return (new PredictResponse(requestId, model.Version.ModelName, model.Version.Version, results), records);
    }

    /// <summary>The client's Idempotency-Key, or a fresh server id when it sent none.</summary>
    private static (string Id, bool ClientChosen) RequestId(HttpRequest request)
    {
        var key = request.Headers[IdempotencyHeader].ToString();
        if (key.Length == 0)
            return ("req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), false);
        if (key.Length > 255 || key.Any(c => c is < '!' or > '~'))
            throw new InputException(400, $"The {IdempotencyHeader} header must be 1 to 255 visible ASCII characters (a UUID is ideal).");
        return (key, true);
    }

    private static (string? Alias, int? Version) Selector(HttpRequest request)
    {
        var alias = request.Query["alias"].ToString();
        var version = request.Query["version"].ToString();
        if (version.Length > 0)
        {
            if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
                throw new InputException(400, $"version must be a positive whole number; got '{version}'.");
            return (null, number);
        }

        return (alias.Length > 0 ? alias : null, null);
    }

    private static string NotFound(string name, string? alias, int? version) =>
        version is int v ? $"Your organization has no model '{name}' with version {v}. GET /v1/models lists what you can use."
        : alias is not null ? $"Your organization has no model '{name}' with alias '{alias}'. GET /v1/models lists what you can use."
        : $"Your organization has no model '{name}'. GET /v1/models lists what you can use.";

    private static string Hash(string name, string? alias, int? version, string? contentType, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{name}\n{alias}\n{version}\n{contentType}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
