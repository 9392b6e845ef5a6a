namespace Anvil.Registry.Tenancy;

/// <summary>
/// Limits and price of an API key: requests per fixed UTC minute, predictions per UTC month, and the price
/// in micros (1e-6 USD) per 1,000 predictions.
/// </summary>
public sealed record Plan(string Name, int RequestsPerMinute, long MonthlyQuota, long PricePer1000Micros)
{
    /// <summary>What a plan allows per request unless told otherwise (enterprise's value).</summary>
    public const int DefaultMaxInputsPerRequest = 1024;

    /// <summary>Most inputs one request may carry, so the work one request can cause is bounded by the plan that pays for it.</summary>
    public int MaxInputsPerRequest { get; init; } = DefaultMaxInputsPerRequest;
}
