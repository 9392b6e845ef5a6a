namespace Anvil.Registry.Tenancy;

/// <summary>
/// Limits and price of an API key: requests per fixed UTC minute, predictions per UTC month, and the price
/// in micros (1e-6 USD) per 1,000 predictions.
/// </summary>
public sealed record Plan(string Name, int RequestsPerMinute, long MonthlyQuota, long PricePer1000Micros);
