namespace Anvil.Training.Models;

/// <summary>
/// The built-in text classifier: token ids (B, T) → a 64-wide embedding → a bidirectional GRU of 64 units per
/// direction over each text's valid steps → the element-wise maximum over time (a word anywhere in the text can
/// decide, which a last-state readout forgets over a hundred steps or more) → dropout → one score per class. Sized so the
/// whole SpamAssassin corpus trains in a few minutes on 2 CPU cores (samples/spam/README.md).
/// </summary>
/// <example>
/// <code>var spec = TextGru.Create([256], ["ham", "spam"], vocabularySize: 20_002);</code>
/// </example>
public static class TextGru
{
    public const string Name = "text-gru";

    /// <param name="inputShape">[T]: token ids per text.</param>
    /// <param name="vocabularySize">Token ids, padding and unknown included (the embedding's row count).</param>
    public static ModelSpec Create(int[] inputShape, string[] classNames, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 1)
            throw new ArgumentException($"Model '{Name}' reads token ids of shape [T]; the data has samples of shape [{string.Join(", ", inputShape)}]. Use it on a text corpus.", nameof(inputShape));
        return new ModelSpec
        {
            Name = Name,
            InputShape = inputShape,
            InputKind = InputKinds.Tokens,
            ClassNames = classNames,
            Layers =
            [
                new() { Type = LayerTypes.Embedding, VocabularySize = vocabularySize, Units = 64 },
                new() { Type = LayerTypes.Gru, Units = 64, Bidirectional = true, ReturnSequences = true },
                new() { Type = LayerTypes.SequencePool, Pooling = "max" },
                new() { Type = LayerTypes.Dropout, Rate = 0.2 },
                new() { Type = LayerTypes.Dense, Activation = "softmax" },
            ],
        };
    }
}
