using System.Reflection;
using System.Text.Json;
using Anvil.Registry.Versions;
using Anvil.Training.Models;

namespace Anvil.Export;

/// <summary>Where a model version came from, recorded in its manifest.</summary>
public sealed record ModelOrigin(string? RunId, string? DatasetHash, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// Writes a trained model as a sealed model version: <c>model.onnx</c> (preprocessing folded in,
/// softmax output), <c>model.weights</c> (TorchSharp's format, which cannot run code), and a signed
/// manifest with the spec, preprocessing, signature, metrics, origin and file digests.
/// </summary>
public static class ModelVersionBuilder
{
    public static VerifiedModelVersion Build(SpecModel model, ModelOrigin origin, ManifestSigner signer, string modelsRoot)
    {
        var staging = Path.Combine(modelsRoot, ".staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            model.eval();
            OnnxExporter.Export(model, Path.Combine(staging, ModelVersionFiles.OnnxFile));
            model.save(Path.Combine(staging, ModelVersionFiles.WeightsFile));
            return ModelVersionFiles.Seal(staging, files => Manifest(model.Spec, origin, files), signer, modelsRoot);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    public static ModelManifest Manifest(ModelSpec spec, ModelOrigin origin, IReadOnlyDictionary<string, string> files)
    {
        var kind = InputKinds.Of(spec);
        var image = kind == InputKinds.Image;
        return new ModelManifest
        {
            Architecture = spec.Name,
            Spec = JsonDocument.Parse(spec.ToJson()).RootElement.Clone(),
            Preprocessing = new ModelPreprocessing
            {
                Kind = kind,
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
                Inputs = [InputSignature(spec, kind)],
                Outputs = [new TensorSignature(OnnxExporter.OutputName, "float32", [-1, spec.ClassNames.Length])],
                ClassLabels = spec.ClassNames,
            },
            Metrics = origin.Metrics.Where(m => double.IsFinite(m.Value) && !m.Key.Contains('/', StringComparison.Ordinal)).ToDictionary(),
            DatasetHash = origin.DatasetHash,
            RunId = origin.RunId,
            CodeVersion = typeof(ModelVersionBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            Files = files,
        };
    }

    // As the graph declares it: -1 for the batch and, for sequences, for the length too.
    private static TensorSignature InputSignature(ModelSpec spec, string kind) => kind switch
    {
        InputKinds.Tokens => new TensorSignature(OnnxExporter.InputName, "int64", [-1, -1]),
        InputKinds.Series => new TensorSignature(OnnxExporter.InputName, "float32", [-1, -1, spec.InputShape[1]]),
        _ => new TensorSignature(OnnxExporter.InputName, "float32", [-1, .. spec.InputShape.Select(d => (long)d)]),
    };
}
