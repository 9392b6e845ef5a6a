using System.Globalization;
using Anvil.Registry;
using Anvil.Registry.Models;
using Anvil.Registry.Runs;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// Gathers a version's <see cref="TrustReport"/> from what the registry recorded: its run's test metrics, ROC/AUC,
/// robust accuracy and privacy figures, and the newest cross-validation and audit runs of the same organization on
/// the same dataset hash. What no run recorded is stated as not measured.
/// </summary>
internal sealed class TrustReportBuilder(IRunStore runs, TimeProvider time)
{
    // Enough to reach any cv or audit of one dataset version an organization keeps; the newest one is used.
    private const int RunsSearched = 200;

    public TrustReport Build(ModelVersion version, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(manifest);
        var (run, missing) = FindRun(version);
        // A compressed version shares its source's run, but its graph is another: only the manifest's figures are its own.
        var derived = manifest.Source is { } origin ? $"{origin.Method} of version {origin.Version}" : null;
        var metrics = derived is null && run is not null ? run.Metrics : manifest.Metrics;
        var source = derived is null && run is not null ? $"run {run.Id}" : "the version's signed manifest";
        return new TrustReport
        {
            ManifestDigest = version.ManifestDigest,
            RunId = version.RunId,
            DatasetHash = manifest.DatasetHash,
            CodeVersion = manifest.CodeVersion,
            CreatedAt = time.GetUtcNow(),
            Metrics = TrustSection.Of(source, Pick(metrics, k => k.StartsWith("test_", StringComparison.Ordinal) && !k.Contains("auc", StringComparison.Ordinal)),
                "measured on the run's test split, one view per input as served"),
            RocAuc = manifest.OutputKind != ModelManifest.Probabilities ? TrustSection.Missing("not a classifier: it has no ROC curve")
                : TrustSection.Of(source, Pick(metrics, k => k.StartsWith("test_", StringComparison.Ordinal) && k.Contains("auc", StringComparison.Ordinal)), "one-vs-rest, per class and macro-averaged"),
            Robustness = missing ?? (derived is null ? Robustness(run!)
                : TrustSection.Missing($"this {derived} was not attacked; run {run!.Id[..12]}'s robustness figures are of the float graph")),
            Privacy = missing ?? (run!.Metrics.ContainsKey("dp_epsilon")
                ? TrustSection.Of($"run {run.Id}", Pick(run.Metrics, k => k.StartsWith("dp_", StringComparison.Ordinal)),
                    "dp_epsilon is the ε spent (RDP accountant); dp_noise_multiplier is σ, dp_max_grad_norm the clipping norm C" + (derived is null ? "" : "; compression is post-processing, so the guarantee holds for it too"))
                : TrustSection.Missing("the run was not trained with differential privacy (it records no dp_epsilon)")),
            CrossValidation = SameData(version, manifest, "cv_mean_", "cross-validation (./anvil cv)", CrossValidation),
            DataAudit = SameData(version, manifest, "audit_label_issues", "data audit (./anvil audit)", Audit),
        };
    }

    private (Run? Run, TrustSection? Missing) FindRun(ModelVersion version)
    {
        if (version.RunId is null)
            return (null, TrustSection.Missing("the version records no run"));
        try
        {
            return (runs.GetRun(version.RunId), null);
        }
        catch (RegistryException)
        {
            return (null, TrustSection.Missing($"run {version.RunId} is no longer in the registry"));
        }
    }

    private static TrustSection Robustness(Run run)
    {
        var points = Pick(run.Metrics, k => k.StartsWith("robust_accuracy_", StringComparison.Ordinal));
        if (points.Count == 0)
            return TrustSection.Missing($"the run was not attacked; ./anvil robustness {run.Id[..12]} measures it, then ./anvil models trust NAME --org ORG --refresh");
        var values = new SortedDictionary<string, double>(points, StringComparer.Ordinal) { ["robust_accuracy"] = points.Values.Min() };
        return TrustSection.Of($"run {run.Id}", values,
            "PGD accuracy at each attacked norm and ε (pixels scaled to 0–1), an empirical upper bound: a stronger attack may do better; robust_accuracy is the lowest of them");
    }

    // The newest finished run of the version's organization on the same dataset hash that recorded `marker`.
    private TrustSection SameData(ModelVersion version, ModelManifest manifest, string marker, string kind, Func<Run, ModelManifest, TrustSection> section)
    {
        if (manifest.DatasetHash is not { } hash)
            return TrustSection.Missing($"the version records no dataset hash, so no {kind} can be matched to it");
        var found = runs.ListRunSummaries(new RunFilter(version.OrganizationId, Status: RunStatus.Finished, DatasetHash: hash), RunsSearched)
            .FirstOrDefault(r => r.Metrics.Keys.Any(k => k.StartsWith(marker, StringComparison.Ordinal)));
        return found is null
            ? TrustSection.Missing($"no finished {kind} of this organization on dataset {hash[..Math.Min(12, hash.Length)]}…")
            : section(found, manifest);
    }

    private static TrustSection CrossValidation(Run cv, ModelManifest manifest)
    {
        var values = Pick(cv.Metrics, k => k.StartsWith("cv_", StringComparison.Ordinal));
        values["folds"] = double.Parse(cv.Parameters.GetValueOrDefault("folds", "0"), CultureInfo.InvariantCulture);
        return TrustSection.Of($"cv run {cv.Id}", values, $"{Scope(cv)}; model {cv.Parameters.GetValueOrDefault("model", "?")}" +
            (cv.Parameters.GetValueOrDefault("model") == manifest.Architecture ? "" : $", not this version's architecture {manifest.Architecture}"));
    }

    private static TrustSection Audit(Run audit, ModelManifest manifest) =>
        TrustSection.Of($"audit run {audit.Id}", Pick(audit.Metrics, k => k.StartsWith("audit_", StringComparison.Ordinal)),
            $"{Scope(audit)}; confident learning on out-of-fold predictions; the list of flagged examples is the run's audit.json");

    private static string Scope(Run run) => run.Parameters.TryGetValue("limit", out var limit)
        ? $"on the first {limit} training examples of the same dataset version" : "on the whole training split of the same dataset version";

    private static Dictionary<string, double> Pick(IReadOnlyDictionary<string, double> metrics, Func<string, bool> wanted) =>
        metrics.Where(m => wanted(m.Key) && double.IsFinite(m.Value)).OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
}
