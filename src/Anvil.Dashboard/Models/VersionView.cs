using Anvil.Registry.Versions;

namespace Anvil.Dashboard.Models;

/// <summary>
/// A version as its page shows it: its aliases, its manifest (metrics and lineage) when readable, and the gate's
/// figures its retrain recorded on its run (the run's "gate_*" metrics: challenger against the champion), and its
/// signed trust report once verified (<see cref="TrustFiles"/>), or why it was refused.
/// </summary>
public sealed record VersionView(ModelVersion Version, IReadOnlyList<string> Aliases, ModelManifest? Manifest, string? ManifestError, Run? Run)
{
    public TrustReport? Trust { get; init; }

    public string? TrustError { get; init; }

    public IReadOnlyDictionary<string, double> Gate => Run is null ? new Dictionary<string, double>()
        : Run.Metrics.Where(m => m.Key.StartsWith("gate_", StringComparison.Ordinal)).ToDictionary(m => m.Key, m => m.Value);
}
