using Anvil.Registry.Encryption;
using Anvil.Registry.Predictions;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Usage;

/// <summary>The rows of the ledger a group commit reads and writes: usage events, their predictions and the daily rollups.</summary>
internal static class UsageEventRows
{
    /// <summary>The event whose answer is replayed for a request id (live or expired), or null when the id is new.</summary>
    public static StoredAnswer? FindEvent(Session session, string organizationId, string requestId)
    {
        var rows = session.Query(
            "SELECT id, request_hash, response_json, created_at FROM usage_events WHERE organization_id = @org AND replay_request_id = @request",
            reader => new StoredAnswer(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)),
            ("@org", organizationId), ("@request", requestId));
        return rows is [var row] ? row with { Response = SealedColumns.OpenText(session, organizationId, ResponseContext(row.Id), row.Response)! } : null;
    }

    public static UsageOutcome ReplayOf(StoredAnswer stored, string requestHash) =>
        string.Equals(stored.Hash, requestHash, StringComparison.Ordinal)
            ? new UsageOutcome(UsageOutcomeStatus.Replayed, stored.Response)
            : new UsageOutcome(UsageOutcomeStatus.IdempotencyConflict);

    /// <summary>
    /// The event (named by its id; the request id goes to replay_request_id) and its predictions. An expired
    /// event of the same request id gives the id up first; when another replica already did (and billed the
    /// new request), the UPDATE changes nothing and the INSERT meets their event in the unique index.
    /// </summary>
    public static bool Insert(Session session, UsageRequest request, string eventId, string? expiredEventId, DateTimeOffset now)
    {
        if (expiredEventId is not null)
        {
            session.Execute("UPDATE usage_events SET replay_request_id = NULL WHERE id = @id AND replay_request_id = @request",
                ("@id", expiredEventId), ("@request", request.RequestId));
        }

        var createdAt = TimeText.From(now);
        session.Execute(
            "INSERT INTO usage_events (id, organization_id, key_id, plan_name, price_per_1000_micros, model_id, model_name, " +
            "model_version, request_id, replay_request_id, request_hash, quantity, response_json, created_at) VALUES (@id, @org, " +
            "@key, @plan, @price, @modelId, @model, @version, @id, @request, @hash, @quantity, @response, @now)",
            ("@id", eventId), ("@org", request.Key.OrganizationId), ("@key", request.Key.Id),
            ("@plan", request.Plan.Name), ("@price", request.Plan.PricePer1000Micros), ("@modelId", request.ModelId),
            ("@model", request.ModelName), ("@version", (long)request.ModelVersion), ("@request", request.RequestId),
            ("@hash", request.RequestHash), ("@quantity", (long)request.Predictions.Count),
            ("@response", SealedColumns.SealText(session, request.Key.OrganizationId, ResponseContext(eventId), request.ResponseJson)), ("@now", createdAt));
        foreach (var prediction in request.Predictions)
            PredictionRows.Insert(session, prediction, request.Key.OrganizationId, eventId, createdAt);
        return true;
    }

    // The stored answer is replayed for a repeated Idempotency-Key; it holds the predictions, so it is sealed like them.
    private static string ResponseContext(string eventId) => $"usage_events.response_json/{eventId}";

    /// <summary>Removes the event of a request that its key's limits refused (its rows, already locked by this transaction).</summary>
    public static void Drop(Session session, UsageRequest request, string eventId)
    {
        session.Execute("DELETE FROM predictions WHERE organization_id = @org AND request_id = @id",
            ("@org", request.Key.OrganizationId), ("@id", eventId));
        session.Execute("DELETE FROM usage_events WHERE id = @id", ("@id", eventId));
    }

    /// <summary>One upsert per rollup row for the whole group, in key order (the last pass of the lock order).</summary>
    public static void AddToDailyRollups(Session session, IReadOnlyList<UsageRequest> requests, UsageOutcome[] outcomes, DateTimeOffset now)
    {
        var day = TimeText.From(now)[..10];
        var rollups = Enumerable.Range(0, requests.Count)
            .Where(i => outcomes[i].Status == UsageOutcomeStatus.Accepted)
            .Select(i => requests[i])
            .GroupBy(r => (Organization: r.Key.OrganizationId, Model: r.ModelName, PlanName: r.Plan.Name, Price: r.Plan.PricePer1000Micros))
            .OrderBy(g => g.Key.Organization, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Key.PlanName, StringComparer.Ordinal).ThenBy(g => g.Key.Price);
        foreach (var rollup in rollups)
        {
            session.Execute(
                "INSERT INTO usage_daily (organization_id, day, model_name, plan_name, price_per_1000_micros, requests, predictions) " +
                "VALUES (@org, @day, @model, @plan, @price, @requests, @predictions) " +
                "ON CONFLICT (organization_id, day, model_name, plan_name, price_per_1000_micros) DO UPDATE SET " +
                "requests = usage_daily.requests + excluded.requests, predictions = usage_daily.predictions + excluded.predictions",
                ("@org", rollup.Key.Organization), ("@day", day), ("@model", rollup.Key.Model), ("@plan", rollup.Key.PlanName),
                ("@price", rollup.Key.Price), ("@requests", (long)rollup.Count()), ("@predictions", rollup.Sum(r => (long)r.Predictions.Count)));
        }
    }
}
