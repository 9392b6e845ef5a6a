using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Usage;

/// <summary>
/// The statements that move a key's rate and quota counters. Every increment is conditional
/// (<c>used + n &lt;= limit</c>), so two writers can never push a counter past its limit.
/// </summary>
internal static class UsageCounters
{
    /// <summary>Minute counters are kept this long, so a replica whose clock runs behind still finds (and counts on) its minute.</summary>
    private static readonly TimeSpan MinuteRetention = TimeSpan.FromHours(1);

    /// <summary>
    /// Takes one request in the minute window, then <paramref name="inputs"/> predictions in the month. A refusal
    /// by the quota keeps the minute increment: a refused request still counts toward the rate window.
    /// </summary>
    public static Reservation Reserve(Session session, string keyId, Plan plan, int inputs, DateTimeOffset now)
    {
        if (TakeMinute(session, keyId, plan, now))
            return TakeMonth(session, keyId, plan, inputs, now);
        var window = Windows.At(now);
        return new Reservation(UsageOutcomeStatus.RateLimited, keyId, window.MonthBucket, inputs, window.NextMinute - now);
    }

    /// <summary>
    /// Reserves several requests of one key, in order, with the outcomes <see cref="Reserve(Session, string, Plan, int, DateTimeOffset)"/>
    /// one by one would give. When the minute has room for all of them and the month for all their predictions (a
    /// key's burst under load) that takes one increment of each counter instead of one per request, so a burst holds
    /// the database's one writer for a few statements; otherwise the requests are taken one by one.
    /// </summary>
    public static Reservation[] Reserve(Session session, string keyId, IReadOnlyList<(Plan Plan, int Inputs)> requests, DateTimeOffset now)
    {
        var plan = requests[0].Plan;
        var sameLimits = requests.All(r => r.Plan.RequestsPerMinute == plan.RequestsPerMinute && r.Plan.MonthlyQuota == plan.MonthlyQuota);
        if (requests.Count == 1 || !sameLimits || !TakeMinute(session, keyId, plan, now, requests.Count))
            return [.. requests.Select(r => Reserve(session, keyId, r.Plan, r.Inputs, now))]; // a refused increment changed nothing

        // Every request has its minute; a month without room for all of them grants them in order until it is full.
        var month = Windows.At(now).MonthBucket;
        Create(session, keyId, month);
        return TryIncrement(session, keyId, month, requests.Sum(r => (long)r.Inputs), plan.MonthlyQuota)
            ? [.. requests.Select(r => new Reservation(UsageOutcomeStatus.Accepted, keyId, month, r.Inputs))]
            : [.. requests.Select(r => TakeMonth(session, keyId, r.Plan, r.Inputs, now))];
    }

    /// <summary>Takes <paramref name="inputs"/> predictions in the month of a request whose minute is taken.</summary>
    private static Reservation TakeMonth(Session session, string keyId, Plan plan, int inputs, DateTimeOffset now)
    {
        var window = Windows.At(now);
        Create(session, keyId, window.MonthBucket);
        if (TryIncrement(session, keyId, window.MonthBucket, inputs, plan.MonthlyQuota))
            return new Reservation(UsageOutcomeStatus.Accepted, keyId, window.MonthBucket, inputs);
        var used = DbReading.ToLong(session.Scalar(
            "SELECT used FROM usage_counters WHERE key_id = @key AND bucket = @bucket", ("@key", keyId), ("@bucket", window.MonthBucket)));
        var left = Math.Max(0, plan.MonthlyQuota - used);
        // with room left a smaller request succeeds now; only an exhausted month waits for the next one
        return new Reservation(UsageOutcomeStatus.QuotaExceeded, keyId, window.MonthBucket, inputs, left == 0 ? window.NextMonth - now : null, left);
    }

    /// <summary>Counts <paramref name="requests"/> requests in the minute window unless that would pass its limit; false (and nothing counted) when it would.</summary>
    public static bool TakeMinute(Session session, string keyId, Plan plan, DateTimeOffset now, int requests = 1)
    {
        var window = Windows.At(now);
        if (Create(session, keyId, window.MinuteBucket))
        {
            // First request of this key in its minute: prune minutes long past. Recent ones stay, so a replica whose
            // clock runs behind never recreates (and so resets) a minute that another replica deleted.
            session.Execute(
                "DELETE FROM usage_counters WHERE key_id = @key AND length(bucket) = @length AND bucket < @bucket",
                ("@key", keyId), ("@length", window.MinuteBucket.Length), ("@bucket", Windows.At(now - MinuteRetention).MinuteBucket));
        }

        return TryIncrement(session, keyId, window.MinuteBucket, requests, plan.RequestsPerMinute);
    }

    /// <summary>Gives a reservation's predictions back to its month; false when the counter had less (never below zero).</summary>
    public static bool Refund(Session session, Reservation reservation) => session.Execute(
        "UPDATE usage_counters SET used = used - @amount WHERE key_id = @key AND bucket = @bucket AND used >= @amount",
        ("@key", reservation.KeyId), ("@bucket", reservation.MonthBucket), ("@amount", (long)reservation.Inputs)) > 0;

    /// <summary>Adds <paramref name="amount"/> to an existing counter unless that would pass <paramref name="limit"/>.</summary>
    public static bool TryIncrement(Session session, string keyId, string bucket, long amount, long limit) =>
        session.Scalar(
            "UPDATE usage_counters SET used = used + @amount WHERE key_id = @key AND bucket = @bucket AND used + @amount <= @limit " +
            "RETURNING used",
            ("@key", keyId), ("@bucket", bucket), ("@amount", amount), ("@limit", limit)) is not null;

    /// <summary>Creates the counter at zero unless it exists; true when it was created.</summary>
    public static bool Create(Session session, string keyId, string bucket) => session.Execute(
        "INSERT INTO usage_counters (key_id, bucket, used) VALUES (@key, @bucket, 0) ON CONFLICT (key_id, bucket) DO NOTHING",
        ("@key", keyId), ("@bucket", bucket)) > 0;
}
