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

    /// <summary>conv2d: "valid" (default, as Keras) or "same".</summary>
    public string? Padding { get; init; }

    /// <summary>conv2d: insert batch normalisation between the convolution and the activation.</summary>
    public bool? BatchNorm { get; init; }

    /// <summary>maxpool2d, avgpool2d: window size (default 2).</summary>
    public int? Size { get; init; }

    /// <summary>dense: output units. The last dense layer may omit it: it gets one unit per class.</summary>
    public int? Units { get; init; }

    /// <summary>dropout: fraction of units zeroed while training.</summary>
    public double? Rate { get; init; }

    /// <summary>conv2d, dense, activation: one of <see cref="LayerTypes.Activations"/>. "softmax" is only allowed on the last layer.</summary>
    public string? Activation { get; init; }
}
