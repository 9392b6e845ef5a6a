using System.Data.Common;
using Anvil.Registry.Predictions;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Usage;

/// <summary>
/// One group commit of the ledger: every request of the group in one transaction, in three passes that take
/// row locks in one total order, the same on every replica.
/// </summary>
/// <remarks>
/// PostgreSQL makes a writer wait for a row (or a unique index entry) that another open transaction holds;
/// replicas deadlock (40P01) only if they wait on each other in a cycle. A cycle is impossible when every
/// transaction takes its locks in increasing order of one total order, since each waits only for locks above
/// all it holds. The order here is:
/// <list type="number">
/// <item>the request ids — usage_events' unique entries (organization_id, replay_request_id), the expired event
/// that gives a request id up, and the predictions of each request (rows only it references) — in ordinal
/// (organization id, request id) order;</item>
/// <item>the key counters (usage_counters), in key-id order; within a key the minute bucket before the month,
/// because reservations come before refunds;</item>
/// <item>the daily rollups (usage_daily), one upsert per (organization, day, model, plan, price) for the whole
/// group, in ordinal order of that key.</item>
/// </list>
/// Reservations made before inference (<see cref="UsageLedger.Reserve(Anvil.Registry.Tenancy.ApiKey, Anvil.Registry.Tenancy.Plan, int)"/>)
/// are separate transactions that lock only counters, in key-id order, so they keep the order too. Ordering
/// by key id alone (as before 30 Nov 2026) was not enough: the request ids and rollups of two keys of different
/// organizations sort the other way round on another replica. The whole-group retry of
/// <see cref="RegistryDatabase"/> stays for what no order prevents (a serialization failure, SQLite busy).
/// </remarks>
internal static class GroupCommit
{
    private const string Savepoint = "usage_request";

    /// <param name="replayableSince">Answers stored at or before this time have expired: their request id bills anew.</param>
    public static UsageOutcome[] Record(Session session, IReadOnlyList<UsageRequest> requests, DateTimeOffset now, DateTimeOffset replayableSince)
    {
        var outcomes = new UsageOutcome[requests.Count];
        var eventIds = new string?[requests.Count]; // set while the request's event is written and not yet refused
        var leaders = new Dictionary<(string Organization, string RequestId), int>();
        var followers = new List<(int Follower, int Leader)>();

        // OrderBy is stable: a request id sent twice in one group is billed for the first and replayed for the next.
        foreach (var i in Order(requests, r => r.Key.OrganizationId, r => r.RequestId))
        {
            var request = requests[i];
            var id = (request.Key.OrganizationId, request.RequestId);
            if (leaders.TryGetValue(id, out var leader))
                followers.Add((i, leader));
            else
                leaders[id] = i;
            outcomes[i] = ClaimRequestId(session, request, now, replayableSince, out eventIds[i]);
        }

        // Counters: requests without a reservation take theirs now (before any refund of the same key), and a
        // reservation whose request is not billed gives the month back.
        foreach (var i in Order(requests, r => r.Key.Id, r => r.Reservation is null ? "0" : "1"))
        {
            var request = requests[i];
            if (request.Reservation is null && eventIds[i] is { } eventId
                && session.InSavepoint(Savepoint, () => UsageCounters.Reserve(session, request.Key.Id, request.Plan, request.Predictions.Count, now), r => r.Granted)
                    is { Granted: false } refused) // rolled back: a request the ledger refuses does not use the rate window
            {
                Drop(session, request, eventId);
                eventIds[i] = null;
                outcomes[i] = new UsageOutcome(refused.Status, RetryAfter: refused.RetryAfter ?? Windows.At(now).NextMonth - now);
            }
            else if (request.Reservation is { Granted: true } reservation && outcomes[i].Status != UsageOutcomeStatus.Accepted)
            {
                UsageCounters.Refund(session, reservation); // not billed: the month gets its predictions back
            }
        }

        foreach (var (follower, leader) in followers.Where(f => outcomes[f.Leader].Status is UsageOutcomeStatus.RateLimited or UsageOutcomeStatus.QuotaExceeded))
            outcomes[follower] = outcomes[leader]; // it replayed an answer that the limits then refused: so is it

        AddToDailyRollups(session, requests, outcomes, now);
        return outcomes;
    }

    /// <summary>The event whose answer is replayed for a request id (live or expired), or null when the id is new.</summary>
    public static StoredAnswer? FindEvent(Session session, string organizationId, string requestId)
    {
        var rows = session.Query(
            "SELECT id, request_hash, response_json, created_at FROM usage_events WHERE organization_id = @org AND replay_request_id = @request",
            reader => new StoredAnswer(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)),
            ("@org", organizationId), ("@request", requestId));
        return rows is [var row] ? row : null;
    }

    public static UsageOutcome ReplayOf(StoredAnswer stored, string requestHash) =>
        string.Equals(stored.Hash, requestHash, StringComparison.Ordinal)
            ? new UsageOutcome(UsageOutcomeStatus.Replayed, stored.Response)
            : new UsageOutcome(UsageOutcomeStatus.IdempotencyConflict);

    /// <summary>
    /// Writes the request's usage event and predictions (Accepted, with <paramref name="eventId"/> set), or
    /// answers as a replay of the event already stored under its request id.
    /// </summary>
    private static UsageOutcome ClaimRequestId(Session session, UsageRequest request, DateTimeOffset now, DateTimeOffset replayableSince, out string? eventId)
    {
        eventId = null;
        var organizationId = request.Key.OrganizationId;
        if (request.FreshId)
        {
            // No event holds an id the server just made up: no lookup, and no savepoint for a race that cannot happen.
            ValidateReservation(request);
            eventId = Guid.CreateVersion7(now).ToString("N");
            Insert(session, request, eventId, null, now);
            return new UsageOutcome(UsageOutcomeStatus.Accepted, request.ResponseJson);
        }

        var expired = FindEvent(session, organizationId, request.RequestId);
        if (expired is not null && expired.IsLive(replayableSince))
            return ReplayOf(expired, request.RequestHash);

        ValidateReservation(request);
        var id = Guid.CreateVersion7(now).ToString("N");
        try
        {
            session.InSavepoint(Savepoint, () => Insert(session, request, id, expired?.Id, now), _ => true);
            eventId = id;
            return new UsageOutcome(UsageOutcomeStatus.Accepted, request.ResponseJson);
        }
        catch (DbException exception) when (session.Dialect.IsUniqueViolation(exception))
        {
            // Another replica billed the same request id first and committed (the unique index made us wait
            // for it). Our savepoint is rolled back: answer as a replay of theirs.
            if (FindEvent(session, organizationId, request.RequestId) is { } winner && winner.IsLive(replayableSince))
                return ReplayOf(winner, request.RequestHash);
            throw; // some other uniqueness, such as a reused prediction id: a bug in the caller
        }
    }

    /// <summary>
    /// The event (named by its id; the request id goes to replay_request_id) and its predictions. An expired
    /// event of the same request id gives the id up first; when another replica already did (and billed the
    /// new request), the UPDATE changes nothing and the INSERT meets their event in the unique index.
    /// </summary>
    private static bool Insert(Session session, UsageRequest request, string eventId, string? expiredEventId, DateTimeOffset now)
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
            ("@hash", request.RequestHash), ("@quantity", (long)request.Predictions.Count), ("@response", request.ResponseJson), ("@now", createdAt));
        foreach (var prediction in request.Predictions)
            PredictionRows.Insert(session, prediction, request.Key.OrganizationId, eventId, createdAt);
        return true;
    }

    /// <summary>Removes the event of a request that its key's limits refused (its rows, already locked by this transaction).</summary>
    private static void Drop(Session session, UsageRequest request, string eventId)
    {
        session.Execute("DELETE FROM predictions WHERE organization_id = @org AND request_id = @id",
            ("@org", request.Key.OrganizationId), ("@id", eventId));
        session.Execute("DELETE FROM usage_events WHERE id = @id", ("@id", eventId));
    }

    /// <summary>One upsert per rollup row for the whole group, in key order (the last pass of the lock order).</summary>
    private static void AddToDailyRollups(Session session, IReadOnlyList<UsageRequest> requests, UsageOutcome[] outcomes, DateTimeOffset now)
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

    private static void ValidateReservation(UsageRequest request)
    {
        if (request.Reservation is { } reservation
            && (!reservation.Granted || reservation.KeyId != request.Key.Id || reservation.Inputs != request.Predictions.Count))
        {
            throw new ArgumentException($"Request '{request.RequestId}' carries a reservation that is not granted for its key and {request.Predictions.Count} predictions.", nameof(request));
        }
    }

    /// <summary>Indexes of <paramref name="requests"/> in ordinal order of (<paramref name="first"/>, <paramref name="then"/>); stable.</summary>
    private static int[] Order(IReadOnlyList<UsageRequest> requests, Func<UsageRequest, string> first, Func<UsageRequest, string> then) =>
        [.. Enumerable.Range(0, requests.Count)
            .OrderBy(i => first(requests[i]), StringComparer.Ordinal).ThenBy(i => then(requests[i]), StringComparer.Ordinal)];
}
