namespace Anvil.Training.Models;

/// <summary>The fields each layer type reads (docs/specs.md's table); any other field of a <see cref="LayerSpec"/> is ignored by that type.</summary>
/// <example>
/// <code>IReadOnlyList&lt;string&gt; fields = LayerFields.Of("dropout"); // ["rate"]</code>
/// </example>
public static class LayerFields
{
    private static readonly string[] Convolution = ["filters", "kernel", "stride", "padding", "batch_norm", "activation"];
    private static readonly string[] Pooling = ["size", "stride", "padding"];
    private static readonly string[] Recurrent = ["units", "num_layers", "bidirectional", "return_sequences"];

    private static readonly Dictionary<string, string[]> ByType = new()
    {
        [LayerTypes.Conv2d] = Convolution,
        [LayerTypes.ConvTranspose] = Convolution,
        [LayerTypes.BatchNorm] = [],
        [LayerTypes.MaxPool2d] = Pooling,
        [LayerTypes.AvgPool2d] = Pooling,
        [LayerTypes.GlobalAvgPool] = [],
        [LayerTypes.Flatten] = [],
        [LayerTypes.Dense] = ["units", "activation"],
        [LayerTypes.Dropout] = ["rate"],
        [LayerTypes.Activation] = ["activation"],
        [LayerTypes.Residual] = ["filters", "stride"],
        [LayerTypes.Embedding] = ["vocabulary_size", "units"],
        [LayerTypes.Lstm] = Recurrent,
        [LayerTypes.Gru] = Recurrent,
        [LayerTypes.SequencePool] = ["pooling"],
    };

    /// <summary>The snake_case fields <paramref name="type"/> reads besides "type"; empty for an unknown type.</summary>
    public static IReadOnlyList<string> Of(string type) => ByType.GetValueOrDefault(type) ?? [];
}
