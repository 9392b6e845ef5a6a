namespace Anvil.Registry.Tuning;

/// <summary>One trial of a study as stored, with its lease and its per-epoch values.</summary>
/// <param name="Number">0-based, unique within the study.</param>
/// <param name="Status">Running, complete, pruned or failed.</param>
/// <param name="Parameters">The samplers' internal value of each parameter.</param>
/// <param name="Value">The final value of a complete trial.</param>
/// <param name="RunId">The trial's run, once created.</param>
/// <param name="Worker">The worker holding (or last holding) the lease.</param>
/// <param name="LeaseExpiresAt">When a running trial's lease lapses; null once ended.</param>
/// <param name="Intermediate">The metric by epoch.</param>
/// <param name="Values">A complete multi-objective trial's value of each objective; null otherwise.</param>
public sealed record StoredTrial(
    int Number,
    TrialStatus Status,
    IReadOnlyDictionary<string, double> Parameters,
    double? Value,
    string? RunId,
    string Worker,
    DateTimeOffset? LeaseExpiresAt,
    IReadOnlyDictionary<int, double> Intermediate,
    IReadOnlyList<double>? Values = null);
