using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Usage;

/// <summary>
/// Feedback counts toward its key's requests-per-minute window like a prediction request (it is a write
/// that competes with the ledger for the database), but never toward the monthly prediction quota.
/// </summary>
public sealed class FeedbackLimiter(RegistryDatabase db, TimeProvider time)
{
    /// <summary>Counts one request of <paramref name="key"/>; null when admitted, else how long until the next minute.</summary>
    public TimeSpan? TryAdmit(ApiKey key, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(plan);
        var now = time.GetUtcNow();
        var window = Windows.At(now);
        return db.Write(session =>
        {
            var created = session.Execute(
                "INSERT INTO usage_counters (key_id, bucket, used) VALUES (@key, @bucket, 0) ON CONFLICT (key_id, bucket) DO NOTHING",
                ("@key", key.Id), ("@bucket", window.MinuteBucket)) > 0;
            if (created)
            {
                // as the ledger does: a key's older minute counters are dead weight once a new minute starts
                session.Execute(
                    "DELETE FROM usage_counters WHERE key_id = @key AND length(bucket) = @length AND bucket < @bucket",
                    ("@key", key.Id), ("@length", window.MinuteBucket.Length), ("@bucket", window.MinuteBucket));
            }

            var counted = session.Scalar(
                "UPDATE usage_counters SET used = used + 1 WHERE key_id = @key AND bucket = @bucket AND used + 1 <= @limit RETURNING used",
                ("@key", key.Id), ("@bucket", window.MinuteBucket), ("@limit", plan.RequestsPerMinute)) is not null;
            return counted ? (TimeSpan?)null : window.NextMinute - now;
        });
    }
}
