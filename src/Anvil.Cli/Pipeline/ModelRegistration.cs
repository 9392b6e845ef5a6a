using Anvil.Export;
using Anvil.Registry;
using Anvil.Registry.Runs;
using Anvil.Registry.Versions;
using Anvil.Training.Models;
using Anvil.Training.Runs;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// Turns a finished run into a new immutable model version (ONNX export, weights, signed manifest,
/// sealed under its digest) and records it in the catalog. The first version becomes the champion.
/// </summary>
internal sealed class ModelRegistration(AnvilHome home, IRunStore runs, ModelCatalog catalog)
{
    public const string Champion = ChampionMoves.Champion;

    /// <param name="retraining">Lineage of a challenger retrained on feedback; null for a version registered from a run by hand.</param>
    /// <param name="source">Lineage of a version derived from another version of the model (compress --method prune-channels).</param>
    public ModelVersion Register(string runIdOrPrefix, string organizationId, string modelName, string? alias, ModelRetraining? retraining = null, ModelSource? source = null)
    {
        var run = runs.GetRun(runIdOrPrefix);
        if (run.Status != RunStatus.Finished)
            throw new RegistryException($"Run {run.Id} is {RunStatusNames.ToText(run.Status)}; only a finished run can be registered. Resume it with ./anvil train --resume {run.Id[..12]}.");
        using var signer = ManifestSigner.OpenOrCreate(home);
        var files = EncryptedVersions.Build(catalog.FileKeys(organizationId), signer, ModelsRoot, staging => Seal(run, retraining, staging, source));
        var version = catalog.AddVersion(organizationId, modelName, files.Directory, files.Digest, run.Id);
        if (alias is not null)
            catalog.SetAlias(organizationId, modelName, alias, version.Version);
        else if (catalog.Find(organizationId, modelName) is { } registered && !registered.Aliases.ContainsKey(Champion))
            catalog.SetAlias(organizationId, modelName, Champion, version.Version);
        WriteTrust(version);
        return version;
    }

    /// <summary>
    /// Gathers the version's trust report from the registry as it is now and writes it, signed, with its summary
    /// (<see cref="TrustFiles"/>): at registration, and again after a later robustness test, cv or audit.
    /// </summary>
    public TrustReport WriteTrust(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        using var signer = ManifestSigner.OpenOrCreate(home);
        var files = catalog.OpenFiles(version, signer);
        var report = new TrustReportBuilder(runs, TimeProvider.System).Build(version, files.Manifest);
        return TrustFiles.Write(version.Directory, report, signer, TrustSummary.Render);
    }

    /// <summary>
    /// A finished run as a sealed, signed version folder under <c>&lt;home&gt;/models</c> (content-addressed: the same run
    /// seals to the same folder), without a catalog entry. <c>predict RUN</c> uses it as it is.
    /// </summary>
    public VerifiedModelVersion Seal(Run run, ModelRetraining? retraining = null, string? modelsRoot = null, ModelSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var artifacts = new RunArtifacts(run.ArtifactsDirectory);
        using var model = artifacts.LoadModel();
        using var signer = ManifestSigner.OpenOrCreate(home);
        var vocabulary = InputKinds.Of(model.Spec) == InputKinds.Tokens ? artifacts.Require(artifacts.VocabularyPath) : null;
        return ModelVersionBuilder.Build(model, new ModelOrigin(run.Id, run.DatasetHash, artifacts.LoadMetrics(), retraining, source), signer,
            modelsRoot ?? ModelsRoot, vocabulary, artifacts.LoadCsvPolicy());
    }

    private string ModelsRoot => Path.Combine(home.Directory, "models");
}
