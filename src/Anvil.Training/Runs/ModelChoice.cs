using Anvil.Training.Data;
using Anvil.Training.Models;

namespace Anvil.Training.Runs;

/// <summary>Picks and checks a run's model from what the data already says: input kind, shape and class names.</summary>
/// <example>
/// <code>var spec = ModelChoice.Resolve(ModelChoice.DefaultFor(train), train);</code>
/// </example>
public static class ModelChoice
{
    /// <summary>The built-in model for the data's input kind: vgg-small for (N, C, H, W) images, text-gru for (N, T) token ids, series-gru for (N, T, F) series, mlp for (N, F) feature vectors.</summary>
    public static string DefaultFor(TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return InputKindOf(train) switch { InputKinds.Tokens => TextGru.Name, InputKinds.Image => "vgg-small", InputKinds.Series => "series-gru", _ => "mlp" };
    }

    /// <summary>The data's input kind: tokens for int64 ids, else by rank (image, series, features).</summary>
    public static string InputKindOf(TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return train.IsTokens ? InputKinds.Tokens : train.Features.dim() switch { 4 => InputKinds.Image, 3 => InputKinds.Series, _ => InputKinds.Features };
    }

    /// <summary>
    /// The built-in model or the spec file named by <paramref name="model"/>. A spec file may state only its layers: its input
    /// shape, class names, input kind and head then come from the data; those it states must match the data.
    /// </summary>
    /// <param name="vocabularySize">For token ids: how many ids the vocabulary has (an embedding needs at least as many rows).</param>
    public static ModelSpec Resolve(string model, TensorDataset train, int? vocabularySize = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var inputShape = train.SampleShape.Select(d => (int)d).ToArray();
        var classNames = train.TargetNames.ToArray();
        if (BuiltInModels.Contains(model))
            return BuiltInModels.Create(model, inputShape, classNames, vocabularySize) with { Head = train.Task };
        var spec = ModelSpecFile.Load(model, inputShape, classNames, InputKindOf(train), train.Task);
        if (spec.Head != train.Task)
            throw new ArgumentException($"Model spec '{model}' has a {spec.Head.ToString().ToLowerInvariant()} head but the data is for {train.Task.ToString().ToLowerInvariant()}; set the spec's \"head\" to \"{train.Task.ToString().ToLowerInvariant()}\".");
        if (!spec.InputShape.SequenceEqual(inputShape) || !spec.ClassNames.SequenceEqual(classNames))
            throw new ArgumentException(
                $"Model spec '{model}' expects input [{string.Join(", ", spec.InputShape)}] and classes [{string.Join(", ", spec.ClassNames)}], " +
                $"but the data has input [{string.Join(", ", inputShape)}] and classes [{string.Join(", ", classNames)}] (in this order); make the spec's input_shape and class_names match.");
        if (InputKinds.Of(spec) != InputKindOf(train))
            throw new ArgumentException($"Model spec '{model}' has input_kind '{InputKinds.Of(spec)}' but the data are {InputKindOf(train)}; set \"input_kind\": \"{InputKindOf(train)}\" or leave it out.");
        if (vocabularySize is { } size && spec.Layers[0].VocabularySize is { } rows && rows < size)
            throw new ArgumentException($"Model spec '{model}' embeds {rows} token ids but the vocabulary has {size}; set the embedding's vocabulary_size to {size} (or lower the recipe's text.max_words).");
        return spec;
    }
}
