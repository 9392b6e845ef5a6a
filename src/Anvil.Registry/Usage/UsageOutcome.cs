namespace Anvil.Registry.Usage;

/// <summary>
/// The outcome of one recorded request. <see cref="ResponseJson"/> is set for Accepted and Replayed (the
/// stored response for a replay); <see cref="RetryAfter"/> for RateLimited and QuotaExceeded.
/// </summary>
public sealed record UsageOutcome(UsageOutcomeStatus Status, string? ResponseJson = null, TimeSpan? RetryAfter = null);
