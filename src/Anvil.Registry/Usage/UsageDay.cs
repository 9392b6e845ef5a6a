namespace Anvil.Registry.Usage;

/// <summary>Billed requests and predictions of one model on one UTC day.</summary>
public sealed record UsageDay(DateOnly Day, string ModelName, long Requests, long Predictions);
