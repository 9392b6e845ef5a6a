namespace Anvil.Training.Models;

/// <summary>The layer types and activations a <see cref="ModelSpec"/> may use.</summary>
public static class LayerTypes
{
    public const string Conv2d = "conv2d";
    public const string BatchNorm = "batchnorm";
    public const string MaxPool2d = "maxpool2d";
    public const string AvgPool2d = "avgpool2d";
    public const string GlobalAvgPool = "global_avgpool";
    public const string Flatten = "flatten";
    public const string Dense = "dense";
    public const string Dropout = "dropout";
    public const string Activation = "activation";
    public const string Residual = "residual";

    /// <summary>Every layer type, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Conv2d, BatchNorm, MaxPool2d, AvgPool2d, GlobalAvgPool, Flatten, Dense, Dropout, Activation, Residual];

    /// <summary>Every activation name.</summary>
    public static IReadOnlyList<string> Activations { get; } = ["relu", "gelu", "tanh", "sigmoid", "softmax", "linear"];
}
