namespace Anvil.Registry.Tuning;

/// <summary>A trial leased to a worker: a new one, or one whose previous worker's lease had lapsed.</summary>
/// <param name="Trial">The trial as leased.</param>
/// <param name="TakenOver">True when another worker had started it; its run (if any) is to be resumed.</param>
public sealed record TrialLeaseResult(StoredTrial Trial, bool TakenOver);
