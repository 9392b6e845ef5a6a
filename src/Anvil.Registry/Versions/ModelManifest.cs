using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Registry.Versions;

/// <summary>
/// <c>manifest.json</c> of a model version: everything serving needs to run the ONNX graph and
/// everything a reader needs to trust it — architecture, preprocessing, signature, metrics, the
/// dataset version, the code version and a SHA-256 digest of every other file in the directory.
/// Format <c>anvil.model/2</c> states the input kind, the output kind and every preprocessing step
/// (tokenizer, window length, normalisation); versions sealed as <c>anvil.model/1</c> (image and
/// feature classifiers) still load, read as the <c>/2</c> defaults they imply.
/// </summary>
public sealed record ModelManifest
{
    public const string CurrentFormat = "anvil.model/2";

    /// <summary>The first format: classifiers of images or feature vectors, without input or output kind.</summary>
    public const string FirstFormat = "anvil.model/1";

    /// <summary>What a classifier's graph returns: class probabilities, one per class label.</summary>
    public const string Probabilities = "probabilities";

    /// <summary>What a regressor's graph returns: values in the targets' unit, one per label (e.g. a forecast horizon).</summary>
    public const string Values = "values";

    /// <summary>What a generator's graph returns: images (B, C, H, W) with pixel values in [0, 1]; it takes <see cref="Noise"/>.</summary>
    public const string Image = "image";

    /// <summary>A generator's input kind: standard normal noise (B, Z, 1, 1), drawn by the server from the request's seed.</summary>
    public const string Noise = "noise";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>"image", "features", "series", "tokens" or "noise" (a generator's, which clients do not send): what a client sends (see <see cref="ModelPreprocessing"/>).</summary>
    public string? InputKind { get; init; }

    /// <summary><see cref="Probabilities"/>, <see cref="Values"/> or <see cref="Image"/>: what the graph's output holds.</summary>
    public string? OutputKind { get; init; }

    /// <summary>Short architecture name, e.g. "vgg-small".</summary>
    public required string Architecture { get; init; }

    /// <summary>The full model spec as training wrote it (opaque to the registry).</summary>
    public required JsonElement Spec { get; init; }

    public required ModelPreprocessing Preprocessing { get; init; }

    public required ModelSignature Signature { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public string? DatasetHash { get; init; }

    public string? RunId { get; init; }

    /// <summary>The version this one was derived from; absent (not written) for a version built from a run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModelSource? Source { get; init; }

    /// <summary>For a version retrained on feedback: the champion and the feedback it came from; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModelRetraining? Retraining { get; init; }

    /// <summary>Anvil version (and commit when known) that wrote the version.</summary>
    public required string CodeVersion { get; init; }

    /// <summary>File name → "sha256:&lt;hex&gt;" for every file of the version except the manifest and its signature.</summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public byte[] ToUtf8Bytes()
    {
        RequireStorableLabels(Signature.ClassLabels, "The model");
        return JsonSerializer.SerializeToUtf8Bytes(this, Json);
    }

    // Every prediction stores its label name; PostgreSQL refuses NUL in text, and one such label would
    // fail every ledger group holding a prediction of that class, for every tenant in the group.
    private static void RequireStorableLabels(IReadOnlyList<string> labels, string source)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.IsNullOrEmpty(labels[i]) || labels[i].Contains('\0', StringComparison.Ordinal))
            {
                throw new RegistryException(
                    $"{source} has class label {i} ({JsonSerializer.Serialize(labels[i])}), which is empty or contains the NUL character (U+0000). " +
                    "Rename that class in the training data (or the spec's class_names) and train again.");
            }
        }
    }

    private static void RequireKinds(ModelManifest manifest, string source)
    {
        if (manifest.InputKind is not ("image" or "features" or "series" or "tokens" or Noise) || manifest.InputKind != manifest.Preprocessing.Kind)
            throw new RegistryException($"{source} has input_kind '{manifest.InputKind}' (preprocessing kind '{manifest.Preprocessing.Kind}'); both must be the same one of image, features, series, tokens or noise.");
        if (manifest.OutputKind is not (Probabilities or Values or Image))
            throw new RegistryException($"{source} has output_kind '{manifest.OutputKind}'; expected '{Probabilities}', '{Values}' or '{Image}'.");
        if ((manifest.InputKind == Noise) != (manifest.OutputKind == Image)
            || (manifest.OutputKind == Image && (manifest.Signature.Inputs is not [{ Shape: [_, > 0, 1, 1] }] || manifest.Signature.Outputs is not [{ Shape: [_, 1 or 3, > 0, > 0] }])))
            throw new RegistryException($"{source} is a generator only in part: noise (B, Z, 1, 1) in and an image (B, 1 or 3, H, W) out go together; register the run again.");
        if (manifest.Preprocessing.Columns is { } columns && (manifest.InputKind != "features" || manifest.Signature.Inputs is not [{ Shape: [_, var width] }] || width != columns.Count))
            throw new RegistryException($"{source} lists {columns.Count} CSV columns, but only a feature-vector model with one input value per column has columns.");
        if (manifest.InputKind == "tokens" && manifest.Preprocessing.Tokenizer is null)
            throw new RegistryException($"{source} takes tokens but has no preprocessing.tokenizer; register the run again.");
    }

    public static ModelManifest Parse(ReadOnlySpan<byte> utf8, string source)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<ModelManifest>(utf8, Json)
                ?? throw new RegistryException($"{source} is empty.");
            manifest = manifest.Format switch
            {
                FirstFormat when manifest.Source is not null || manifest.Retraining is not null => throw new RegistryException($"{source} has format '{FirstFormat}' but states a source version or retraining, which only '{CurrentFormat}' has."),
                FirstFormat when manifest.InputKind is null && manifest.OutputKind is null =>
                    manifest with { InputKind = manifest.Preprocessing.Kind, OutputKind = Probabilities },
                FirstFormat => throw new RegistryException($"{source} has format '{FirstFormat}' but states input_kind or output_kind, which that format does not have."),
                CurrentFormat => manifest,
                _ => throw new RegistryException($"{source} has format '{manifest.Format}'; this Anvil reads '{CurrentFormat}' and '{FirstFormat}'. Upgrade Anvil or register the run again."),
            };
            RequireKinds(manifest, source);
            if (manifest.Source is { } origin && (origin.Version < 1 || origin.Calibration < 0 || string.IsNullOrWhiteSpace(origin.Method) || origin.ManifestDigest.Length != 64))
                throw new RegistryException($"{source} has source {{ version {origin.Version}, manifest_digest '{origin.ManifestDigest}', method '{origin.Method}', calibration {origin.Calibration} }}; expected a version ≥ 1, a 64-character SHA-256 digest, a method and a calibration count ≥ 0.");
            RequireStorableLabels(manifest.Signature.ClassLabels, source);
            return manifest;
        }
        catch (JsonException e)
        {
            throw new RegistryException($"{source} is not a valid model manifest: {e.Message}", e);
        }
    }
}

/// <summary>Input and output tensors of model.onnx and the class labels of its output.</summary>
public sealed record ModelSignature
{
    public required IReadOnlyList<TensorSignature> Inputs { get; init; }

    public required IReadOnlyList<TensorSignature> Outputs { get; init; }

    public required IReadOnlyList<string> ClassLabels { get; init; }
}

/// <summary>One named tensor; -1 in <see cref="Shape"/> is the batch dimension.</summary>
public sealed record TensorSignature(string Name, string Dtype, IReadOnlyList<long> Shape);
