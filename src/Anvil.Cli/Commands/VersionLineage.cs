using Anvil.Registry;
using Anvil.Registry.Models;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Commands;

/// <summary>
/// The <see cref="ModelSource"/> of a version, for `models show`: read from its manifest.json once its SHA-256
/// matches the digest the catalog recorded (listing needs no signing key; serving checks the signature).
/// </summary>
internal static class VersionLineage
{
    public static ModelSource? Of(ModelVersion version) => Manifest(version).Source;

    /// <summary>The version's manifest, once its bytes match the digest the catalog recorded.</summary>
    public static ModelManifest Manifest(ModelVersion version) => ModelVersionFiles.ReadManifest(version);

    /// <summary>" ← retrained from v1 on 72 feedback samples (24 held out, seed 42)", or empty for a version not retrained.</summary>
    public static string Describe(ModelRetraining? retraining) => retraining is null ? ""
        : $"  ← retrained from v{retraining.ChampionVersion} on {retraining.FeedbackTrained} feedback samples ({retraining.FeedbackHeldOut} held out, seed {retraining.Seed}, feedback sha256 {retraining.FeedbackHash[..12]}…)";

    /// <summary>
    /// The promotion gate's figures a retrain recorded on the challenger's run ("gate_*" metrics): measured on the
    /// sealed version, so they live beside its manifest, not in it. Empty when the run has none.
    /// </summary>
    public static string DescribeGate(IReadOnlyDictionary<string, double> metrics) =>
        metrics.TryGetValue("gate_mcnemar_p", out var p) ? FormattableString.Invariant(
            $"\n        gate: test {metrics["gate_champion_test_accuracy"] * 100:0.00}% → {metrics["gate_challenger_test_accuracy"] * 100:0.00}%, held-out feedback {metrics["gate_champion_feedback_accuracy"] * 100:0.00}% → {metrics["gate_challenger_feedback_accuracy"] * 100:0.00}%, McNemar p = {p:G3}{(metrics.TryGetValue("gate_significance", out var level) ? $" (< {level:G3} required)" : "")}, {(metrics["gate_promotable"] > 0 ? "passed" : "refused")}")
        : "";

    /// <summary>" ← int8-static of v1 (calibration 256)", or empty for a version built from a run.</summary>
    public static string Describe(ModelSource? source) => source is null ? ""
        : $"  ← {source.Method} of v{source.Version}{(source.Calibration > 0 ? $" (calibration {source.Calibration})" : "")}";
}
