using System.Data.Common;
using System.Globalization;
using Anvil.Registry.Predictions;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Usage;

/// <summary>
/// The money: rate and quota counters, usage events (each request billed exactly once, keyed by
/// organization and request id), the predictions they paid for, and what they add up to.
/// </summary>
/// <remarks>
/// Counters move only through conditional increments (<c>UPDATE ... SET used = used + n WHERE used + n &lt;=
/// limit RETURNING used</c>). The server reserves before inference (<see cref="Reserve(ApiKey, Plan, int)"/>: one short write that
/// takes the minute's request and the month's predictions), so no input is computed without room to bill it;
/// the usage event then consumes the reservation in the group commit, and a request that is not billed
/// (failed, refused, replayed) gives the month back and keeps its place in the minute window. On PostgreSQL
/// the UPDATE locks the row, so replicas serialise on a key's counter and re-check the limit on the committed
/// value; on SQLite BEGIN IMMEDIATE serialises all writers. Either way the billed count never passes the plan.
/// </remarks>
/// <param name="idempotencyWindow">How long a billed answer is replayed for its request id; after it the same id bills a new request.</param>
public sealed class UsageLedger(RegistryDatabase db, TimeProvider time, TimeSpan idempotencyWindow)
{
    /// <summary>The default <see cref="IdempotencyWindow"/>: a day, the usual window of payment APIs' idempotency keys.</summary>
    public static readonly TimeSpan DefaultIdempotencyWindow = TimeSpan.FromHours(24);

    /// <summary>A ledger whose answers are replayed for <see cref="DefaultIdempotencyWindow"/>.</summary>
    public UsageLedger(RegistryDatabase db, TimeProvider time)
        : this(db, time, DefaultIdempotencyWindow)
    {
    }

    /// <summary>
    /// How long a billed answer is replayed for its request id. After it the same id is a new request, inferred
    /// and billed again; the old event stays (billing rows are never rewritten), it only gives the id up.
    /// </summary>
    public TimeSpan IdempotencyWindow { get; } = idempotencyWindow > TimeSpan.Zero
        ? idempotencyWindow
        : throw new ArgumentOutOfRangeException(nameof(idempotencyWindow), idempotencyWindow, "The idempotency window must be positive, for example 24 hours.");

    /// <summary>
    /// Records a group of requests in one transaction (one commit, one fsync); a refused request leaves no
    /// usage event and never affects the others. Outcomes are in the order of <paramref name="requests"/>; a
    /// later request in the list sees the effects of earlier ones (its rate counter, a replay of the same
    /// request id). Rows are locked in one total order, so PostgreSQL replicas never deadlock (see <see cref="GroupCommit"/>).
    /// </summary>
    public IReadOnlyList<UsageOutcome> Record(IReadOnlyList<UsageRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            Validate(request);
        }

        if (requests.Count == 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        return db.Write(session => GroupCommit.Record(session, requests, now, now - IdempotencyWindow)); // see GroupCommit for its lock order
    }

    /// <summary>
    /// The stored outcome of a request id billed within the <see cref="IdempotencyWindow"/> (Replayed or
    /// IdempotencyConflict), or null when it is new or its answer has expired.
    /// </summary>
    public UsageOutcome? FindReplay(string organizationId, string requestId, string requestHash)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(requestHash);
        var replayableSince = time.GetUtcNow() - IdempotencyWindow;
        return db.Read(session => UsageEventRows.FindEvent(session, organizationId, requestId) is { } stored && stored.IsLive(replayableSince)
            ? UsageEventRows.ReplayOf(stored, requestHash)
            : null);
    }

    /// <summary>Would one more single-prediction request of <paramref name="key"/> be refused now? Reads only.</summary>
    public RateStatus Peek(ApiKey key, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(plan);
        var now = time.GetUtcNow();
        var window = Windows.At(now);
        var (minute, month) = Counters(key.Id, window);
        var rateLimited = minute >= plan.RequestsPerMinute;
        var quotaExceeded = month >= plan.MonthlyQuota;
        TimeSpan? retryAfter = quotaExceeded ? window.NextMonth - now : rateLimited ? window.NextMinute - now : null;
        return new RateStatus(rateLimited, quotaExceeded, retryAfter);
    }

    /// <summary>What <paramref name="key"/> has used of its limits now: requests this minute, predictions this month. Reads only.</summary>
    public (long MinuteRequests, long MonthPredictions) Used(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Counters(key.Id, Windows.At(time.GetUtcNow()));
    }

    private (long Minute, long Month) Counters(string keyId, Windows window)
    {
        var used = db.Read(session => session.Query(
            "SELECT bucket, used FROM usage_counters WHERE key_id = @key AND bucket IN (@minute, @month)",
            reader => (Bucket: reader.GetString(0), Used: reader.GetLong(1)),
            ("@key", keyId), ("@minute", window.MinuteBucket), ("@month", window.MonthBucket)));
        return (used.Where(row => row.Bucket == window.MinuteBucket).Sum(row => row.Used),
            used.Where(row => row.Bucket == window.MonthBucket).Sum(row => row.Used));
    }

    /// <summary>
    /// Takes room for one request of <paramref name="inputs"/> predictions before any inference: one short
    /// write transaction. A refusal says why (minute window or month quota) and, for the quota, how many
    /// predictions are left. Pass a granted reservation on with the <see cref="UsageRequest"/>, or give it back
    /// with <see cref="Refund"/> when the request is not billed.
    /// </summary>
    public Reservation Reserve(ApiKey key, Plan plan, int inputs) => Reserve([(key, plan, inputs)])[0];

    /// <summary>
    /// <see cref="Reserve(ApiKey, Plan, int)"/> for several requests in one write transaction (requests that
    /// arrive while the previous write waits for the lock are reserved together), with the outcomes one call per
    /// request in this order would give; a key with room for all its requests has each counter incremented once.
    /// Results are in the order of <paramref name="requests"/>; counters are locked in key-id order, so replicas
    /// never wait in a cycle.
    /// </summary>
    public IReadOnlyList<Reservation> Reserve(IReadOnlyList<(ApiKey Key, Plan Plan, int Inputs)> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var (key, plan, inputs) in requests)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(plan);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        }

        var keys = Enumerable.Range(0, requests.Count).GroupBy(i => requests[i].Key.Id).OrderBy(key => key.Key, StringComparer.Ordinal).ToArray();
        var now = time.GetUtcNow();
        // Unsynced: kill -9 keeps it, and the durable commit of the usage event that consumes it flushes it to disk.
        return db.Write(session =>
        {
            var reservations = new Reservation[requests.Count];
            foreach (var key in keys)
            {
                var granted = UsageCounters.Reserve(session, key.Key, [.. key.Select(i => (requests[i].Plan, requests[i].Inputs))], now);
                foreach (var (i, reservation) in key.Zip(granted))
                    reservations[i] = reservation;
            }

            return reservations;
        }, durable: false);
    }

    /// <summary>Gives back the month's predictions of a granted reservation whose request was not billed; its minute stays counted.</summary>
    public void Refund(Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Granted)
            db.Write(session => UsageCounters.Refund(session, reservation), durable: false);
    }

    /// <summary>
    /// Counts a request that failed before it could be reserved (a body that does not parse) toward the key's
    /// minute window, so bad requests are rate-limited like good ones.
    /// </summary>
    public void CountRequest(ApiKey key, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(plan);
        var now = time.GetUtcNow();
        db.Write(session => UsageCounters.TakeMinute(session, key.Id, plan, now), durable: false);
    }

    /// <summary>Predictions billed to the organization in a UTC calendar month.</summary>
    public long BilledPredictions(string organizationId, int year, int month)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        var (start, end) = Windows.Month(year, month);
        return db.Read(session => DbReading.ToLong(session.Scalar(
            "SELECT SUM(predictions) FROM usage_daily WHERE organization_id = @org AND day >= @start AND day < @end",
            ("@org", organizationId), ("@start", Day(start)), ("@end", Day(end)))));
    }

    /// <summary>Billed requests and predictions per UTC day and model, oldest day first.</summary>
    public IReadOnlyList<UsageDay> UsageByDay(string organizationId, DateOnly from, DateOnly toInclusive)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        if (toInclusive < from)
        {
            throw new ArgumentOutOfRangeException(nameof(toInclusive), toInclusive, $"The last day comes before the first ({from:yyyy-MM-dd}).");
        }

        var first = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = toInclusive.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); // inclusive: 9999-12-31 has no next day
        return db.Read(session => session.Query(
            "SELECT day, model_name, SUM(requests), SUM(predictions) FROM usage_daily " +
            "WHERE organization_id = @org AND day >= @start AND day <= @last " +
            "GROUP BY day, model_name ORDER BY day, model_name",
            reader => new UsageDay(
                DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetString(1), reader.GetLong(2), reader.GetLong(3)),
            ("@org", organizationId), ("@start", first), ("@last", last)));
    }

    /// <summary>
    /// The organization's bill for a UTC calendar month: one line per (plan, model, price at the time of
    /// use), each rounded half up to a whole micro.
    /// </summary>
    public Invoice Invoice(string organizationId, int year, int month)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        var (start, end) = Windows.Month(year, month);
        return db.Read(session =>
        {
            var organization = Organizations.FindById(session, organizationId)
                ?? throw new RegistryException($"No organization has id '{organizationId}'. List organizations with: ./anvil orgs list");
            var lines = session.Query(
                "SELECT plan_name, model_name, price_per_1000_micros, SUM(predictions) FROM usage_daily " +
                "WHERE organization_id = @org AND day >= @start AND day < @end " +
                "GROUP BY plan_name, model_name, price_per_1000_micros ORDER BY plan_name, model_name, price_per_1000_micros",
                reader =>
                {
                    var price = reader.GetLong(2);
                    var predictions = reader.GetLong(3);
                    return new InvoiceLine(reader.GetString(0), reader.GetString(1), predictions, price, Amount(predictions, price));
                },
                ("@org", organizationId), ("@start", Day(start)), ("@end", Day(end)));
            var total = lines.Aggregate(0L, (sum, line) => checked(sum + line.AmountMicros));
            return new Invoice(organization.Id, organization.Name, year, month, start, end, lines, total);
        });
    }

    /// <summary>A logged prediction of the organization; another organization's reads as null.</summary>
    public PredictionRecord? FindPrediction(string organizationId, string predictionId)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(predictionId);
        return db.Read(session => PredictionRows.Find(session, organizationId, predictionId));
    }

    /// <summary>The UTC day of <paramref name="time"/> as usage_daily stores it.</summary>
    private static string Day(DateTimeOffset time) => TimeText.From(time)[..10];

    /// <summary>predictions × price per 1,000 / 1,000, rounded half up; integers only.</summary>
    internal static long Amount(long predictions, long pricePer1000Micros) => checked((predictions * pricePer1000Micros) + 500) / 1000;

    private static void Validate(UsageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Key);
        ArgumentNullException.ThrowIfNull(request.Plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.RequestId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.RequestHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelName);
        ArgumentNullException.ThrowIfNull(request.ResponseJson);
        ArgumentNullException.ThrowIfNull(request.Predictions);
        if (request.Predictions.Count == 0 || request.Predictions.Any(p => p is null))
        {
            throw new ArgumentException($"Request '{request.RequestId}' must carry at least one prediction and no nulls.", nameof(request));
        }
    }
}
