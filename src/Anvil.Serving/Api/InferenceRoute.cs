using System.Data.Common;
using System.Text;
using System.Text.Json;
using Anvil.Registry;
using Anvil.Registry.Predictions;
using Anvil.Registry.Versions;
using Anvil.Serving.Inference;
using Anvil.Serving.Inputs;
using Anvil.Serving.Metering;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>The services every inference request goes through, resolved once per request.</summary>
public sealed record InferenceServices(ModelRouter Router, UsageLedger Ledger, UsageWriter Usage, Admission Admission);

/// <summary>
/// What differs between /predict and /generate: which models the route serves (<see cref="Refusal"/> says why not, as a 400),
/// how the body becomes inputs, and the answer with its prediction-log rows.
/// </summary>
public sealed record InferenceKind(
    Func<ModelManifest, string, string?> Refusal,
    Func<LoadedModel, Plan, Task<ModelInput>> ReadAsync,
    Func<string, ModelVersion, LoadedModel, ModelInput, float[], (object Response, List<PredictionRecord> Records)> Build);

/// <summary>
/// The path of one inference request, for predictions and generated images alike: a cheap read-only look at the key's limits,
/// the model scope, the body read and parsed, an Idempotency replay, then room reserved on the key's counters BEFORE
/// inference, the adaptive batcher, and the usage event written (group-committed, consuming the reservation) before the
/// answer leaves. Nothing is computed that could not be billed; a request that fails after its reservation gives the month
/// back and stays counted in the minute window. One input (or one generated image) is one billed prediction.
/// </summary>
public static class InferenceRoute
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The 503 of a request the model's queue (or its organization's share of it) has no room for.</summary>
    public const string QueueFullProblem = "The model's queue is full; retry in a second.";

    public static async Task<IResult> HandleAsync(string name, HttpContext context, InferenceServices services, InferenceKind kind)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(kind);
        var (router, ledger, usage, admission) = (services.Router, services.Ledger, services.Usage, services.Admission);
        var caller = Caller.From(context);
        var request = context.Request;
        try
        {
            var (requestId, clientChosen) = PredictSelectors.RequestId(request);
            var (alias, version) = PredictSelectors.Selector(request);
            var rate = ledger.Peek(caller.Key, caller.Plan);
            if (rate.RateLimited || rate.QuotaExceeded)
                return LimitProblems.FromPeek(context, rate, caller.Plan);

            using var lease = caller.Key.MayUse(name) ? router.Acquire(caller.OrganizationId, name, alias, version) : null;
            if (lease is null)
                return Problems.Of(404, PredictSelectors.NotFound(name, alias, version));
            if (kind.Refusal(lease.Model.Manifest, name) is { } refusal)
            {
                await admission.CountRequestAsync(caller.Key, caller.Plan).ConfigureAwait(false); // costs a request of the minute window like a bad body
                return Problems.Of(400, refusal);
            }

            using var arrival = lease.Model.Batcher.Announce(); // the batcher holds a batch open while this request is on its way
            ModelInput input;
            try
            {
                input = await kind.ReadAsync(lease.Model, caller.Plan).ConfigureAwait(false);
            }
            catch (InputException)
            {
                await admission.CountRequestAsync(caller.Key, caller.Plan).ConfigureAwait(false); // a bad body costs a request of the minute window like a good one
                throw;
            }

            var requestHash = RequestHash.Of(name, alias, version, input);
            var replay = clientChosen ? ledger.FindReplay(caller.OrganizationId, requestId, requestHash) : null; // a fresh server id cannot be a replay
            if (replay is not null)
                return Answer(context, replay, caller.Plan);

            var reservation = await admission.ReserveAsync(caller.Key, caller.Plan, input.Count).ConfigureAwait(false);
            if (!reservation.Granted)
                return LimitProblems.FromReservation(context, reservation, caller.Plan);
            var settled = false; // once the ledger has the reservation, it refunds what it does not bill
            try
            {
                var outputs = await InferAsync(lease.Model, caller.OrganizationId, input, arrival).ConfigureAwait(false);
                if (outputs is null)
                {
                    context.Response.Headers.RetryAfter = "1";
                    return Problems.Of(503, QueueFullProblem);
                }

                if (Array.Exists(outputs, p => !float.IsFinite(p))) // softmax of overflowing logits, or a regressor overflowing: never a 500
                    return Problems.Of(422, "The model's outputs are not finite numbers for these inputs: the values are too large. Send values in the model's input range (raw pixels are 0 to 255; a series in the unit it was trained on).");

                lease.Served(input.Count); // /metrics counts it under the caller's own organization, model and version
                var (response, records) = kind.Build(requestId, lease.Version, lease.Model, input, outputs);
                var json = JsonSerializer.Serialize(response, response.GetType(), ApiJson.Options);
                UsageOutcome outcome;
                try
                {
                    outcome = await usage.RecordAsync(new UsageRequest(
                        caller.Key, caller.Plan, requestId, requestHash, lease.Version.ModelId, lease.Version.ModelName,
                        lease.Version.Version, records, json, reservation, FreshId: !clientChosen)).ConfigureAwait(false);
                }
                catch (UnconfirmedWriteException)
                {
                    settled = true; // the event stands and consumed the reservation: refunding it would under-count the month
                    context.Response.Headers.RetryAfter = "5";
                    return Problems.Of(503, clientChosen
                        ? $"The server's disk did not confirm this request's usage record, so its answer is withheld; it may be billed. Retry with the same {IdempotencyHeader}: the answer is then returned without a second charge."
                        : $"The server's disk did not confirm this request's usage record, so its answer is withheld; it may be billed. Retry with the same body and the header '{IdempotencyHeader}: {requestId}' (this request's id): the answer is then returned without a second charge.");
                }

                settled = true;
                return outcome.Status == UsageOutcomeStatus.Accepted
                    ? Results.Text(json, "application/json", Encoding.UTF8, 200)
                    : Answer(context, outcome, caller.Plan);
            }
            finally
            {
                if (!settled)
                    await RefundAsync(admission, reservation).ConfigureAwait(false);
            }
        }
        catch (InputException e)
        {
            if (e.StatusCode == 503)
                context.Response.Headers.RetryAfter = "1";
            return Problems.Of(e.StatusCode, e.Message);
        }
        catch (DbException)
        {
            // the ledger could not be written (disk full, database unavailable): its transaction rolled back, nothing is billed
            context.Response.Headers.RetryAfter = "5";
            return Problems.Of(503, "The usage ledger cannot be written right now, so no prediction is served; nothing was billed. Retry in a few seconds with the same Idempotency-Key.");
        }
        catch (RegistryException)
        {
            // the version's files failed verification (logged by the router with the path); never serve it
            return Problems.Of(503, $"Model '{name}' cannot be served: its files failed signature or digest verification. The operator must register it again.");
        }
    }

    /// <summary>The outputs (probabilities or values), or null when the queue (or the organization's share of it) is full.</summary>
    private static async Task<float[]?> InferAsync(LoadedModel model, string organizationId, ModelInput input, AdaptiveBatcher.Arrival arrival)
    {
        var task = model.Batcher.PredictAsync(organizationId, input.Samples, input.Count, out var accepted);
        arrival.Dispose();
        return accepted ? await task.ConfigureAwait(false) : null;
    }

    private static async Task RefundAsync(Admission admission, Reservation reservation)
    {
        try
        {
            await admission.RefundAsync(reservation).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // the database refused the refund too: the key loses the room for this month, never money
        }
    }

    private static IResult Answer(HttpContext context, UsageOutcome outcome, Plan plan)
    {
        switch (outcome.Status)
        {
            case UsageOutcomeStatus.Replayed:
                context.Response.Headers[ReplayedHeader] = "true";
                return Results.Text(outcome.ResponseJson!, "application/json", Encoding.UTF8, 200);
            case UsageOutcomeStatus.IdempotencyConflict:
                return Problems.Of(422, $"This {IdempotencyHeader} was already used for a different request; use a new key for a new request.");
            default:
                return LimitProblems.FromOutcome(context, outcome, plan);
        }
    }
}
