using System.Reflection;
using System.Text.Json;
using Anvil.Export;
using Anvil.Registry;
using Anvil.Registry.Runs;
using Anvil.Registry.Versions;
using Anvil.Training.Models;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// Turns a finished run into a new immutable model version: export the trained weights to ONNX,
/// copy the weights, write and sign the manifest, seal the directory under its digest, and record
/// the version in the catalog. The first version of a model becomes its champion.
/// </summary>
internal sealed class ModelRegistration(AnvilHome home, IRunStore runs, ModelCatalog catalog)
{
    public ModelVersion Register(string runIdOrPrefix, string organizationId, string modelName, string? alias)
    {
        var run = runs.GetRun(runIdOrPrefix);
        if (run.Status != RunStatus.Finished)
            throw new RegistryException($"Run {run.Id} is {run.Status.ToString().ToLowerInvariant()}; only a finished run can be registered. Resume it with ./anvil train --resume {run.Id[..12]}.");
        var artifacts = new Artifacts(run.ArtifactsDirectory);
        var spec = artifacts.LoadSpec();
        var metrics = File.Exists(artifacts.MetricsPath)
            ? JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(artifacts.MetricsPath), Commands.JsonOutput.Options) ?? []
            : [];

        var modelsRoot = Path.Combine(home.Directory, "models");
        var staging = Path.Combine(modelsRoot, ".staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            using (var model = ModelBuilder.Build(spec))
            {
                model.load(artifacts.Require(artifacts.WeightsPath));
                model.eval();
                OnnxExporter.Export(model, Path.Combine(staging, ModelVersionFiles.OnnxFile));
            }

            File.Copy(artifacts.WeightsPath, Path.Combine(staging, ModelVersionFiles.WeightsFile));
            using var signer = ManifestSigner.OpenOrCreate(home);
            var sealedVersion = ModelVersionFiles.Seal(staging, files => Manifest(spec, run, metrics, files), signer, modelsRoot);
            var version = catalog.AddVersion(organizationId, modelName, sealedVersion.Directory, sealedVersion.Digest, run.Id);
            var registered = catalog.Find(organizationId, modelName);
            if (alias is not null)
                catalog.SetAlias(organizationId, modelName, alias, version.Version);
            else if (registered is not null && !registered.Aliases.ContainsKey("champion"))
                catalog.SetAlias(organizationId, modelName, "champion", version.Version);
            return version;
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static ModelManifest Manifest(ModelSpec spec, Run run, Dictionary<string, double> metrics, IReadOnlyDictionary<string, string> files)
    {
        var image = spec.InputShape.Length == 3;
        return new ModelManifest
        {
            Architecture = spec.Name,
            Spec = JsonDocument.Parse(spec.ToJson()).RootElement.Clone(),
            Preprocessing = new ModelPreprocessing
            {
                Kind = image ? "image" : "features",
                Channels = image ? spec.InputShape[0] : 0,
                Height = image ? spec.InputShape[1] : 0,
                Width = image ? spec.InputShape[2] : 0,
                Scale = spec.Preprocessing?.Scale ?? 1.0,
                Mean = spec.Preprocessing?.Mean ?? [],
                Std = spec.Preprocessing?.Std ?? [],
                FoldedIntoGraph = true,
            },
            Signature = new ModelSignature
            {
                Inputs = [new TensorSignature("input", "float32", [-1, .. spec.InputShape.Select(d => (long)d)])],
                Outputs = [new TensorSignature("probabilities", "float32", [-1, spec.ClassNames.Length])],
                ClassLabels = spec.ClassNames,
            },
            Metrics = metrics.Where(m => double.IsFinite(m.Value) && !m.Key.Contains('/', StringComparison.Ordinal)).ToDictionary(),
            DatasetHash = run.DatasetHash,
            RunId = run.Id,
            CodeVersion = typeof(ModelRegistration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            Files = files,
        };
    }
}
