using System.Reflection;
using System.Text.Json;
using Anvil.Preprocessing.Text;
using Anvil.Registry.Versions;
using Anvil.Training.Data;
using Anvil.Training.Models;

namespace Anvil.Export;

/// <summary>Where a model version came from, recorded in its manifest.</summary>
/// <param name="Source">Lineage of a version derived from another version of the same model (a pruned one); null otherwise.</param>
public sealed record ModelOrigin(string? RunId, string? DatasetHash, IReadOnlyDictionary<string, double> Metrics, ModelRetraining? Retraining = null, ModelSource? Source = null);

/// <summary>
/// Writes a trained model as a sealed model version: <c>model.onnx</c> (preprocessing folded in,
/// softmax output for a classifier, values in the targets' unit for a regressor), <c>model.weights</c>
/// (TorchSharp's format, which cannot run code), a text model's <c>vocab.txt</c>, and a signed
/// <c>anvil.model/2</c> manifest with the spec, every preprocessing step, signature, metrics, origin
/// and file digests.
/// </summary>
public static class ModelVersionBuilder
{
    /// <param name="vocabularyPath">The tokenizer's vocabulary (a run's vocab.txt); required for a tokens model, refused for others.</param>
    /// <param name="csvPolicy">The cleaning a CSV-trained model's run fitted on its training rows; its columns go into the manifest.</param>
    public static VerifiedModelVersion Build(SpecModel model, ModelOrigin origin, ManifestSigner signer, string modelsRoot, string? vocabularyPath = null, CsvPolicy? csvPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tokens = InputKinds.Of(model.Spec) == InputKinds.Tokens;
        if (tokens != (vocabularyPath is not null))
            throw new ArgumentException(tokens
                ? $"Model '{model.Spec.Name}' takes token ids: its version needs the vocabulary the run fitted (vocab.txt in the run's artifacts); train it again if that file is missing."
                : $"Model '{model.Spec.Name}' takes {InputKinds.Of(model.Spec)}, not text: it has no vocabulary.", nameof(vocabularyPath));
        if (tokens && model.Spec.Tokenizer is null)
            throw new ArgumentException($"Model '{model.Spec.Name}' takes token ids but its spec has no tokenizer settings; train it again.", nameof(model));
        return Staged(modelsRoot, staging =>
        {
            model.eval();
            OnnxExporter.Export(model, Path.Combine(staging, ModelVersionFiles.OnnxFile));
            model.save(Path.Combine(staging, ModelVersionFiles.WeightsFile));
            if (vocabularyPath is not null)
                File.Copy(vocabularyPath, Path.Combine(staging, TextVocabulary.FileName));
            return ModelVersionFiles.Seal(staging, files => Manifest(model.Spec, origin, files, csvPolicy), signer, modelsRoot);
        });
    }

    /// <summary>
    /// Seals <paramref name="onnx"/> (e.g. the int8 graph of <paramref name="source"/>'s model.onnx) as a new version
    /// that keeps the source's spec, preprocessing, signature and run, records <paramref name="lineage"/> and states
    /// the <paramref name="metrics"/> measured on the new graph. It holds model.onnx only: the float weights stay in the source.
    /// </summary>
    public static VerifiedModelVersion BuildDerived(VerifiedModelVersion source, byte[] onnx, ModelSource lineage, IReadOnlyDictionary<string, double> metrics, ManifestSigner signer, string modelsRoot)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(onnx);
        return Staged(modelsRoot, staging =>
        {
            File.WriteAllBytes(Path.Combine(staging, ModelVersionFiles.OnnxFile), onnx);
            return ModelVersionFiles.Seal(staging, files => source.Manifest with
            {
                Format = ModelManifest.CurrentFormat,
                Metrics = metrics,
                Source = lineage,
                CodeVersion = CodeVersion,
                Files = files,
            }, signer, modelsRoot);
        });
    }

    // Files are written into a fresh folder beside the versions, so sealing moves it into place; a failure leaves nothing behind.
    private static VerifiedModelVersion Staged(string modelsRoot, Func<string, VerifiedModelVersion> writeAndSeal)
    {
        var staging = Path.Combine(modelsRoot, ".staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            return writeAndSeal(staging);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    public static ModelManifest Manifest(ModelSpec spec, ModelOrigin origin, IReadOnlyDictionary<string, string> files, CsvPolicy? csvPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(origin);
        var kind = InputKinds.Of(spec);
        var image = kind == InputKinds.Image;
        var regression = spec.Head == TaskKind.Regression;
        var generator = spec.Head == TaskKind.Generation;
        return new ModelManifest
        {
            InputKind = kind,
            OutputKind = generator ? ModelManifest.Image : regression ? ModelManifest.Values : ModelManifest.Probabilities,
            Architecture = spec.Name,
            Spec = JsonDocument.Parse(spec.ToJson()).RootElement.Clone(),
            Preprocessing = new ModelPreprocessing
            {
                Kind = kind,
                Channels = image ? spec.InputShape[0] : 0,
                Height = image ? spec.InputShape[1] : 0,
                Width = image ? spec.InputShape[2] : 0,
                SequenceLength = kind switch
                {
                    InputKinds.Series => spec.InputShape[0],
                    InputKinds.Tokens => spec.Tokenizer?.MaxLength ?? spec.InputShape[0],
                    _ => 0,
                },
                Tokenizer = spec.Tokenizer is { } t ? new ModelTokenizer(TextVocabulary.FileName, t.MaxLength, t.Lowercase, t.MaxWords, t.MinCount) : null,
                Columns = csvPolicy?.Fitted?.Select(c => new ModelColumn(c.Name, c.Fill, c.Lower, c.Upper)).ToList(),
                TargetMean = spec.Preprocessing?.TargetMean,
                TargetStd = spec.Preprocessing?.TargetStd,
                Scale = spec.Preprocessing?.Scale ?? 1.0,
                Mean = spec.Preprocessing?.Mean ?? [],
                Std = spec.Preprocessing?.Std ?? [],
                FoldedIntoGraph = true,
            },
            Signature = new ModelSignature
            {
                Inputs = [InputSignature(spec, kind)],
                Outputs = [new TensorSignature(OnnxExporter.OutputNameOf(spec), "float32", generator ? [-1, .. ModelBuilder.InferOutputShape(spec)] : [-1, spec.ClassNames.Length])],
                ClassLabels = spec.ClassNames,
            },
            Metrics = origin.Metrics.Where(m => double.IsFinite(m.Value) && !m.Key.Contains('/', StringComparison.Ordinal)).ToDictionary(),
            DatasetHash = origin.DatasetHash,
            RunId = origin.RunId,
            Retraining = origin.Retraining,
            Source = origin.Source,
            CodeVersion = CodeVersion,
            Files = files,
        };
    }

    private static string CodeVersion =>
        typeof(ModelVersionBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    // As the graph declares it: -1 for the batch and, for sequences, for the length too.
    private static TensorSignature InputSignature(ModelSpec spec, string kind) => kind switch
    {
        InputKinds.Tokens => new TensorSignature(OnnxExporter.InputName, "int64", [-1, -1]),
        InputKinds.Series => new TensorSignature(OnnxExporter.InputName, "float32", [-1, -1, spec.InputShape[1]]),
        _ => new TensorSignature(OnnxExporter.InputName, "float32", [-1, .. spec.InputShape.Select(d => (long)d)]),
    };
}
