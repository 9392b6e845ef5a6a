namespace Anvil.Training.Models;

/// <summary>The layer types, activations and poolings a <see cref="ModelSpec"/> may use; docs/specs.md lists each with its fields.</summary>
public static class LayerTypes
{
    public const string Conv2d = "conv2d";
    public const string ConvTranspose = "conv_transpose";
    public const string BatchNorm = "batchnorm";
    public const string MaxPool2d = "maxpool2d";
    public const string AvgPool2d = "avgpool2d";
    public const string GlobalAvgPool = "global_avgpool";
    public const string Flatten = "flatten";
    public const string Dense = "dense";
    public const string Dropout = "dropout";
    public const string Activation = "activation";
    public const string Residual = "residual";
    public const string Embedding = "embedding";
    public const string Lstm = "lstm";
    public const string Gru = "gru";
    public const string SequencePool = "sequence_pool";

    /// <summary>Every layer type, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Conv2d, ConvTranspose, BatchNorm, MaxPool2d, AvgPool2d, GlobalAvgPool, Flatten, Dense, Dropout, Activation, Residual, Embedding, Lstm, Gru, SequencePool];

    /// <summary>Every activation name; leaky_relu has slope <see cref="LeakyReluSlope"/> below zero.</summary>
    public static IReadOnlyList<string> Activations { get; } = ["relu", "leaky_relu", "gelu", "tanh", "sigmoid", "softmax", "linear"];

    /// <summary>leaky_relu's slope for negative inputs: 0.2, as DCGAN's discriminator uses.</summary>
    public const double LeakyReluSlope = 0.2;

    /// <summary>
    /// sequence_pool's modes over the valid steps of each sequence: the last valid step, their mean,
    /// their element-wise maximum.
    /// </summary>
    public static IReadOnlyList<string> Poolings { get; } = ["last", "mean", "max"];
}
