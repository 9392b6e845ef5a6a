using System.Text.Json;
using System.Text.Json.Serialization;
using Anvil.Preprocessing.Text;
using Anvil.Training.Data;

namespace Anvil.Training.Models;

/// <summary>
/// A model described as data: input shape, class names, preprocessing and layers. The same spec
/// builds the TorchSharp module for training and, later, the exported graph for serving. A spec file a user
/// passes with <c>--model</c> may state only its layers (<see cref="ModelSpecFile"/> fills in the rest from the data);
/// a record of this type is always complete.
/// </summary>
/// <example>
/// <code>
/// var spec = ModelSpec.Load("my-model.json");
/// using var model = ModelBuilder.Build(spec);
/// </code>
/// </example>
public sealed record ModelSpec
{
    /// <summary>Short name, e.g. "seed-cnn".</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Shape of one input sample: [C, H, W] for images, [F] for feature vectors, [T, F] for series,
    /// [T] for token ids. T is the longest sequence the model is built for; the model and its ONNX graph accept any length.
    /// </summary>
    public required int[] InputShape { get; init; }

    /// <summary>One of <see cref="InputKinds.All"/>; omitted, it follows the rank of <see cref="InputShape"/>. Token ids must say "tokens".</summary>
    public string? InputKind { get; init; }

    /// <summary>
    /// What the last layer's outputs mean: <see cref="TaskKind.Classification"/> (the default, and every
    /// spec written before heads were named) scores one class each and is served as softmax probabilities;
    /// <see cref="TaskKind.Regression"/> outputs values (e.g. a forecast horizon), served without softmax and
    /// in the targets' original unit (see <see cref="PreprocessingSpec.TargetMean"/>).
    /// </summary>
    public TaskKind Head { get; init; } = TaskKind.Classification;

    /// <summary>One name per output: class names indexed by label for a classifier, target names (e.g. "t+1") for a regressor.</summary>
    public required string[] ClassNames { get; init; }

    /// <summary>For token ids only: how texts become ids, fitted with the vocabulary (<c>vocab.txt</c> beside the spec) on the training split.</summary>
    public TextTokenizerOptions? Tokenizer { get; init; }

    /// <summary>Input preprocessing, set once normalisation is fitted on the training split (per channel, feature or series feature; none for token ids).</summary>
    public PreprocessingSpec? Preprocessing { get; init; }

    /// <summary>Layers in order. The model returns logits; a final "softmax" is applied at prediction time.</summary>
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>Reads and validates a spec from a JSON file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid spec; the message says which field and why.</exception>
    public static ModelSpec Load(string path) => Parse(ReadText(path), path);

    /// <summary>The text of a spec file; a missing file is an error that lists the built-in models.</summary>
    internal static string ReadText(string path) => File.Exists(path)
        ? File.ReadAllText(path)
        : throw new FileNotFoundException($"Model spec '{path}' does not exist. Pass a built-in model name ({string.Join(", ", BuiltInModels.AllNames)}) or the path of a JSON spec.", path);

    /// <summary>Parses and validates a spec from JSON text; <paramref name="source"/> names it in errors.</summary>
    public static ModelSpec Parse(string json, string source = "model spec")
    {
        ModelSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ModelSpec>(json, TrainingJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a valid model spec: {e.Message}", e);
        }
        if (spec is null)
            throw new InvalidDataException($"{source} is empty; expected a JSON object with name, input_shape, class_names and layers.");
        ModelBuilder.InferOutputShape(spec); // validates every layer against the shapes it receives
        return spec;
    }

    /// <summary>The spec as indented JSON (snake_case field names).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingJson.Options);

    /// <summary>Writes the spec as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());
}
