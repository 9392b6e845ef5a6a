namespace Anvil.Training.Models;

/// <summary>
/// Model specs that ship with Anvil, adapted to any input shape and class list.
/// <list type="bullet">
/// <item><c>vgg-small</c>: a 2x2 stride-2 "patchify" stem, then conv-BN-ReLU pairs at 14x14 and 7x7 and a 256-unit head; the default recipe's model.</item>
/// <item><c>seed-cnn</c>: the Keras CNN of the article Anvil comes from — Conv32-Pool-Conv64-Pool-Conv64-Dense64-softmax.</item>
/// <item><c>resnet-small</c>: a small ResNet-style network with batch norm and residual blocks.</item>
/// <item><c>resnet-18</c>: ResNet-18 (He et al. 2015) as the ImageNet file of NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 lays it out, the backbone transfer learning loads those weights into.</item>
/// <item><c>mlp</c>: flatten, two hidden dense layers with dropout.</item>
/// <item><c>text-gru</c>: token ids → embedding → bidirectional GRU → max over time → dense; the default for texts (see <see cref="TextGru"/>).</item>
/// <item><c>series-gru</c>: a GRU over a series [T, F] whose every step's state feeds one dense output per horizon step.</item>
/// </list>
/// </summary>
/// <example>
/// <code>var spec = BuiltInModels.Create("seed-cnn", [1, 28, 28], ["cat", "dog"]);</code>
/// </example>
public static class BuiltInModels
{
    /// <summary>The models that adapt to any image [C, H, W] or feature vector [F] input.</summary>
    public static IReadOnlyList<string> Names { get; } = ["vgg-small", "resnet-small", "seed-cnn", "mlp", ResNet18Name];

    /// <summary>The name of ResNet-18, whose layers <see cref="ResNet18Backbone"/> lists.</summary>
    public const string ResNet18Name = "resnet-18";

    /// <summary>Every name accepted by <see cref="Create"/>: <see cref="Names"/> and the token-id model text-gru.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names, TextGru.Name, "series-gru"];

    /// <summary>True when <paramref name="name"/> is a built-in model.</summary>
    public static bool Contains(string name) => AllNames.Contains(name);

    /// <summary>The named spec for the given input shape and classes.</summary>
    /// <param name="vocabularySize">For token-id models: the number of ids, padding and unknown included.</param>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static ModelSpec Create(string name, int[] inputShape, string[] classNames, int? vocabularySize = null)
    {
        if (name == TextGru.Name)
            return TextGru.Create(inputShape, classNames, vocabularySize
                ?? throw new ArgumentException($"Model '{name}' reads token ids and needs the vocabulary size; train it on a text corpus.", nameof(vocabularySize)));
        IReadOnlyList<LayerSpec> layers = name switch
        {
            "vgg-small" => VggSmall(),
            "seed-cnn" => SeedCnn(),
            "resnet-small" => ResNetSmall(),
            ResNet18Name => [.. ResNet18Backbone(), new() { Type = LayerTypes.Dense, Activation = "softmax" }],
            "mlp" => Mlp(),
            "series-gru" => SeriesGru(),
            _ => throw new ArgumentException($"Unknown model '{name}'. Use one of: {string.Join(", ", AllNames)}, or the path of a JSON spec.", nameof(name)),
        };
        return new ModelSpec { Name = name, InputShape = inputShape, ClassNames = classNames, Layers = layers };
    }

    private static LayerSpec[] SeedCnn() =>
    [
        new() { Type = LayerTypes.Conv2d, Filters = 32, Kernel = 3, Activation = "relu" },
        new() { Type = LayerTypes.MaxPool2d, Size = 2 },
        new() { Type = LayerTypes.Conv2d, Filters = 64, Kernel = 3, Activation = "relu" },
        new() { Type = LayerTypes.MaxPool2d, Size = 2 },
        new() { Type = LayerTypes.Conv2d, Filters = 64, Kernel = 3, Activation = "relu" },
        new() { Type = LayerTypes.Flatten },
        new() { Type = LayerTypes.Dense, Units = 64, Activation = "relu" },
        new() { Type = LayerTypes.Dense, Activation = "softmax" },
    ];

    // On 28x28 inputs the full-resolution layers cost time out of proportion to what they add, so
    // a 2x2 stride-2 convolution (a "patchify" stem) goes straight to 14x14, where the pairs of
    // convs that carry the capacity run. Measured against alternatives in docs/decisions/0002-default-recipe.md.
    private static LayerSpec[] VggSmall() =>
    [
        new() { Type = LayerTypes.Conv2d, Filters = 32, Kernel = 2, Stride = 2, BatchNorm = true, Activation = "relu" },
        Conv(64),
        Conv(64),
        new() { Type = LayerTypes.MaxPool2d, Size = 2 },
        Conv(128),
        Conv(128),
        new() { Type = LayerTypes.MaxPool2d, Size = 2 },
        new() { Type = LayerTypes.Flatten },
        new() { Type = LayerTypes.Dense, Units = 256, Activation = "relu" },
        new() { Type = LayerTypes.Dropout, Rate = 0.2 },
        new() { Type = LayerTypes.Dense, Activation = "softmax" },
    ];

    private static LayerSpec Conv(int filters) =>
        new() { Type = LayerTypes.Conv2d, Filters = filters, Kernel = 3, Padding = "same", BatchNorm = true, Activation = "relu" };

    // Downsample early: on 28x28 inputs most of the cost of a conv net is at full resolution,
    // so the stem pools at once and the residual blocks work at 14x14 and 7x7.
    private static LayerSpec[] ResNetSmall() =>
    [
        Conv(32),
        new() { Type = LayerTypes.MaxPool2d, Size = 2 },
        Conv(64),
        new() { Type = LayerTypes.Residual, Filters = 64 },
        new() { Type = LayerTypes.MaxPool2d, Size = 2 },
        Conv(128),
        new() { Type = LayerTypes.Residual, Filters = 128 },
        new() { Type = LayerTypes.GlobalAvgPool },
        new() { Type = LayerTypes.Dense, Activation = "softmax" },
    ];

    /// <summary>
    /// ResNet-18 without its classifier, ending in the 512 pooled features: a 7x7 stride-2 convolution with batch norm
    /// and a 3x3 stride-2 max pool, four stages of basic blocks (64, 128, 256, 512 channels; stages 2-4 start with
    /// stride 2 and a 1x1 projection), global average pooling. The stages have 2, 2, 2 and 3 blocks, as the ImageNet
    /// file we import has them (a CNTK export; torchvision's ResNet-18 has 2 blocks in its last stage). Layer indices:
    /// 0 stem conv, 1 pool, 2-3 stage 1, 4-5 stage 2, 6-7 stage 3, 8-10 stage 4, 11 pool.
    /// </summary>
    public static IReadOnlyList<LayerSpec> ResNet18Backbone() =>
    [
        new() { Type = LayerTypes.Conv2d, Filters = 64, Kernel = 7, Stride = 2, Padding = "same", BatchNorm = true, Activation = "relu" },
        new() { Type = LayerTypes.MaxPool2d, Size = 3, Stride = 2, Padding = "same" },
        new() { Type = LayerTypes.Residual, Filters = 64 },
        new() { Type = LayerTypes.Residual, Filters = 64 },
        new() { Type = LayerTypes.Residual, Filters = 128, Stride = 2 },
        new() { Type = LayerTypes.Residual, Filters = 128 },
        new() { Type = LayerTypes.Residual, Filters = 256, Stride = 2 },
        new() { Type = LayerTypes.Residual, Filters = 256 },
        new() { Type = LayerTypes.Residual, Filters = 512, Stride = 2 },
        new() { Type = LayerTypes.Residual, Filters = 512 },
        new() { Type = LayerTypes.Residual, Filters = 512 },
        new() { Type = LayerTypes.GlobalAvgPool },
    ];

    private static LayerSpec[] Mlp() =>
    [
        new() { Type = LayerTypes.Flatten },
        new() { Type = LayerTypes.Dense, Units = 256, Activation = "relu" },
        new() { Type = LayerTypes.Dropout, Rate = 0.2 },
        new() { Type = LayerTypes.Dense, Units = 128, Activation = "relu" },
        new() { Type = LayerTypes.Dense, Activation = "softmax" },
    ];

    // A forecast leans on exact values of particular past steps (the same hour a day earlier), which a GRU's final
    // state blurs: on Seattle's temperatures a 64-unit GRU's last state reached 3.8x the seasonal-naive MAE, while
    // 16 units per step, flattened into one linear layer, beat it on two seeds of three and 32 units on all three (samples/seattle/README.md).
    private static LayerSpec[] SeriesGru() =>
    [
        new() { Type = LayerTypes.Gru, Units = 32, ReturnSequences = true },
        new() { Type = LayerTypes.Flatten },
        new() { Type = LayerTypes.Dense },
    ];
}
