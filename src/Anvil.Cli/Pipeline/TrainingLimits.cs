namespace Anvil.Cli.Pipeline;

/// <summary>Optional limits on a run: use only the first <paramref name="Samples"/> samples of each split (a fast dev run), stop early after <paramref name="Patience"/> epochs without improvement.</summary>
internal sealed record TrainingLimits(int? Samples, int? Patience);
