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
        // the same minute counter and pruning as predictions (UsageCounters), so replicas' clocks cannot reset it
        return db.Write(session => UsageCounters.TakeMinute(session, key.Id, plan, now)) ? null : Windows.At(now).NextMinute - now;
    }
}
