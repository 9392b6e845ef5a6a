namespace Anvil.Registry.Usage;

/// <summary>
/// A read-only look at a key's counters before inference: would one more request be refused, and for how
/// long. <see cref="UsageLedger.Record"/> decides for real.
/// </summary>
public sealed record RateStatus(bool RateLimited, bool QuotaExceeded, TimeSpan? RetryAfter);
