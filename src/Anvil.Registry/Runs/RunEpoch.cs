namespace Anvil.Registry.Runs;

/// <summary>The metrics logged for one epoch of a run, keyed by metric name (e.g. <c>train_loss</c>).</summary>
public sealed record RunEpoch(int Epoch, IReadOnlyDictionary<string, double> Metrics);
