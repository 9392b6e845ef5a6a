using Anvil.Registry.Versions;

namespace Anvil.Dashboard.Models;

/// <summary>
/// A version as its page shows it: its aliases, its manifest (metrics and lineage) when readable, and the gate's
/// figures its retrain recorded on its run ("gate_*" run metrics: challenger against the champion).
/// </summary>
public sealed record VersionView(ModelVersion Version, IReadOnlyList<string> Aliases, ModelManifest? Manifest, string? ManifestError, IReadOnlyDictionary<string, double> Gate);
