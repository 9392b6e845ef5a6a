using System.Data.Common;
using Anvil.Registry.Encryption;
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
/// <item>the organizations' data keys (data_keys), made only on an organization's first encrypted write, in ordinal
/// organization-id order, before any savepoint (a key made inside one that rolls back would be remembered by the
/// session while its row is gone);</item>
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
        foreach (var organization in requests.Select(r => r.Key.OrganizationId).Distinct().Order(StringComparer.Ordinal))
            DataKeys.ForWrite(session, organization);
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
                UsageEventRows.Drop(session, request, eventId);
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

        UsageEventRows.AddToDailyRollups(session, requests, outcomes, now);
        return outcomes;
    }

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
            UsageEventRows.Insert(session, request, eventId, null, now);
            return new UsageOutcome(UsageOutcomeStatus.Accepted, request.ResponseJson);
        }

        var expired = UsageEventRows.FindEvent(session, organizationId, request.RequestId);
        if (expired is not null && expired.IsLive(replayableSince))
            return UsageEventRows.ReplayOf(expired, request.RequestHash);

        ValidateReservation(request);
        var id = Guid.CreateVersion7(now).ToString("N");
        try
        {
            session.InSavepoint(Savepoint, () => UsageEventRows.Insert(session, request, id, expired?.Id, now), _ => true);
            eventId = id;
            return new UsageOutcome(UsageOutcomeStatus.Accepted, request.ResponseJson);
        }
        catch (DbException exception) when (session.Dialect.IsUniqueViolation(exception))
        {
            // Another replica billed the same request id first and committed (the unique index made us wait
            // for it). Our savepoint is rolled back: answer as a replay of theirs.
            if (UsageEventRows.FindEvent(session, organizationId, request.RequestId) is { } winner && winner.IsLive(replayableSince))
                return UsageEventRows.ReplayOf(winner, request.RequestHash);
            throw; // some other uniqueness, such as a reused prediction id: a bug in the caller
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
