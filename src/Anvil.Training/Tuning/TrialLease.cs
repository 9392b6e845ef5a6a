namespace Anvil.Training.Tuning;

/// <summary>A trial handed to a worker.</summary>
/// <param name="Trial">The trial, with its run and intermediate values when it was taken over.</param>
/// <param name="TakenOver">True when another worker had started it: its run is resumed from its checkpoint.</param>
public sealed record TrialLease(TrialRecord Trial, bool TakenOver);
