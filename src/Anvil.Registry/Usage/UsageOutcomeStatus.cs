namespace Anvil.Registry.Usage;

/// <summary>What <see cref="UsageLedger.Record"/> did with one request.</summary>
public enum UsageOutcomeStatus
{
    /// <summary>Billed and its predictions logged, now.</summary>
    Accepted,

    /// <summary>Already billed under this request id with the same body: answer with the stored response.</summary>
    Replayed,

    /// <summary>This request id was already used with a different body (HTTP 409/422); nothing billed.</summary>
    IdempotencyConflict,

    /// <summary>The key's requests for this UTC minute are used up (HTTP 429); nothing billed.</summary>
    RateLimited,

    /// <summary>The key's predictions for this UTC month are used up (HTTP 429); nothing billed.</summary>
    QuotaExceeded,
}
