namespace Anvil.Registry.Usage;

/// <summary>
/// Predictions of one model billed at one plan price. <see cref="AmountMicros"/> = predictions × price / 1000,
/// rounded half up, in integers.
/// </summary>
public sealed record InvoiceLine(string PlanName, string ModelName, long Predictions, long PricePer1000Micros, long AmountMicros);
