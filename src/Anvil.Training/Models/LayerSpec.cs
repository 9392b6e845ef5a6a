namespace Anvil.Training.Models;

/// <summary>
/// One layer of a declarative model. Which fields apply depends on <see cref="Type"/>;
/// <see cref="LayerTypes"/> lists the types and their fields.
/// </summary>
/// <example>
/// <code>new LayerSpec { Type = "conv2d", Filters = 32, Kernel = 3, Activation = "relu" }</code>
/// </example>
public sealed record LayerSpec
{
    /// <summary>Layer type, one of <see cref="LayerTypes.All"/>.</summary>
    public required string Type { get; init; }

    /// <summary>conv2d, residual: output channels.</summary>
    public int? Filters { get; init; }

    /// <summary>conv2d: square kernel size (default 3).</summary>
    public int? Kernel { get; init; }

    /// <summary>conv2d, residual: stride (default 1); maxpool2d/avgpool2d: stride (default = size).</summary>
    public int? Stride { get; init; }

    /// <summary>conv2d, maxpool2d: "valid" (default, as Keras) or "same" (size / 2 on each side; odd sizes).</summary>
    public string? Padding { get; init; }

    /// <summary>conv2d: insert batch normalisation between the convolution and the activation.</summary>
    public bool? BatchNorm { get; init; }

    /// <summary>maxpool2d, avgpool2d: window size (default 2).</summary>
    public int? Size { get; init; }

    /// <summary>
    /// dense: output units (the last dense layer may omit it: it gets one unit per class);
    /// embedding: vector size per token; lstm, gru: hidden size per direction.
    /// </summary>
    public int? Units { get; init; }

    /// <summary>embedding: number of token ids, including the pad id 0 (ids run from 0 to vocabulary_size - 1).</summary>
    public int? VocabularySize { get; init; }

    /// <summary>lstm, gru: recurrent layers stacked in one module (default 1).</summary>
    public int? NumLayers { get; init; }

    /// <summary>lstm, gru: also run each sequence backwards and concatenate both directions (default false).</summary>
    public bool? Bidirectional { get; init; }

    /// <summary>
    /// lstm, gru: return every step [T, directions × units] (true) or the final state of each sequence
    /// [directions × units] (false, the default).
    /// </summary>
    public bool? ReturnSequences { get; init; }

    /// <summary>sequence_pool: one of <see cref="LayerTypes.Poolings"/>.</summary>
    public string? Pooling { get; init; }

    /// <summary>dropout: fraction of units zeroed while training.</summary>
    public double? Rate { get; init; }

    /// <summary>conv2d, dense, activation: one of <see cref="LayerTypes.Activations"/>. "softmax" is only allowed on the last layer.</summary>
    public string? Activation { get; init; }
}
