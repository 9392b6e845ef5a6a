using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Usage;

/// <summary>
/// Room taken on a key's counters before inference by <see cref="UsageLedger.Reserve(ApiKey, Plan, int)"/>: one request in the
/// minute window and <see cref="Inputs"/> predictions in the month bucket <see cref="MonthBucket"/>. The usage
/// event consumes it (no second increment); a request that ends up not billed gives the month back with
/// <see cref="UsageLedger.Refund"/> and keeps its place in the minute window.
/// </summary>
/// <param name="Status">Accepted when the room was taken; RateLimited or QuotaExceeded when it was refused.</param>
/// <param name="RetryAfter">When a refused request may be sent again unchanged; null when a smaller one fits now.</param>
/// <param name="QuotaLeft">Predictions the month still has room for (set when the quota refused the request).</param>
public sealed record Reservation(UsageOutcomeStatus Status, string KeyId, string MonthBucket, int Inputs, TimeSpan? RetryAfter = null, long QuotaLeft = 0)
{
    /// <summary>True when the counters hold room for this request.</summary>
    public bool Granted => Status == UsageOutcomeStatus.Accepted;
}
