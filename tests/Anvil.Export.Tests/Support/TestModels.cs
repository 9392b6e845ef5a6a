using Anvil.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Export.Tests.Support;

/// <summary>The architectures the round-trip tests export, built from a seed with batch norm in a non-trivial state.</summary>
internal static class TestModels
{
    public static readonly string[] Classes = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];

    // Fashion-MNIST's fitted statistics, as the training pipeline records them.
    public static readonly PreprocessingSpec Grey = new() { Scale = 1 / 255.0, Mean = [0.2860f], Std = [0.3530f] };

    /// <summary>Every built-in model on 28x28 grey images, plus two specs covering the remaining layer types and activations.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. BuiltInModels.Names, "image-coverage", "vector-coverage"];

    public static ModelSpec Spec(string name) => name switch
    {
        "image-coverage" => ImageCoverage(),
        "vector-coverage" => VectorCoverage(),
        _ => BuiltInModels.Create(name, [1, 28, 28], Classes) with { Preprocessing = Grey },
    };

    // RGB 16x16: same/valid padding, strides, gelu/tanh/sigmoid/linear, a standalone batchnorm,
    // avgpool, a projection residual (channels and stride change) and an identity residual.
    // Channel counts stay at most 16 or multiples of 16: libtorch 2.10's float32 3x3 convolution on
    // this CPU returns wrong values (off by ~0.5, sometimes NaN) when in_channels is above 16 and not
    // a multiple of 16 (20, 24, 28, 40, 56 measured; ONNX Runtime and libtorch float64 agree with
    // each other there), which would make the oracle, not the exporter, wrong.
    private static ModelSpec ImageCoverage() => new()
    {
        Name = "image-coverage",
        InputShape = [3, 16, 16],
        ClassNames = Classes[..5],
        Preprocessing = new PreprocessingSpec { Scale = 1 / 255.0, Mean = [0.49f, 0.48f, 0.45f], Std = [0.25f, 0.24f, 0.26f] },
        Layers =
        [
            new() { Type = LayerTypes.Conv2d, Filters = 8, Kernel = 3, Padding = "same", Activation = "gelu" },
            new() { Type = LayerTypes.BatchNorm },
            new() { Type = LayerTypes.AvgPool2d, Size = 2 },
            new() { Type = LayerTypes.Conv2d, Filters = 16, Kernel = 3, Stride = 2, BatchNorm = true, Activation = "tanh" },
            new() { Type = LayerTypes.Residual, Filters = 32, Stride = 2 },
            new() { Type = LayerTypes.Residual },
            new() { Type = LayerTypes.Activation, Activation = "sigmoid" },
            new() { Type = LayerTypes.Conv2d, Filters = 32, Kernel = 1, Activation = "linear" },
            new() { Type = LayerTypes.GlobalAvgPool },
            new() { Type = LayerTypes.Dense, Units = 16, Activation = "linear" },
            new() { Type = LayerTypes.Dense },
        ],
    };

    // Feature vectors [F]: BatchNorm1d, dense with each activation, dropout, and a final "softmax"
    // activation layer that must not add a second softmax. Scale 1 (CSV features are not rescaled).
    private static ModelSpec VectorCoverage() => new()
    {
        Name = "vector-coverage",
        InputShape = [12],
        ClassNames = Classes[..3],
        Preprocessing = new PreprocessingSpec
        {
            Mean = [.. Enumerable.Range(0, 12).Select(i => i * 1.5f - 4)],
            Std = [.. Enumerable.Range(0, 12).Select(i => 0.5f + i * 0.25f)],
        },
        Layers =
        [
            new() { Type = LayerTypes.BatchNorm },
            new() { Type = LayerTypes.Dense, Units = 32, Activation = "gelu" },
            new() { Type = LayerTypes.Dropout, Rate = 0.5 },
            new() { Type = LayerTypes.Dense, Units = 16, Activation = "tanh" },
            new() { Type = LayerTypes.Dense, Units = 16, Activation = "sigmoid" },
            new() { Type = LayerTypes.Activation, Activation = "relu" },
            new() { Type = LayerTypes.Flatten },
            new() { Type = LayerTypes.Dense, Activation = "linear" },
            new() { Type = LayerTypes.Activation, Activation = "softmax" },
        ],
    };

    /// <summary>
    /// Builds the model from <paramref name="seed"/> and gives every batch norm random affine
    /// parameters and running statistics far from 0/1 (a few training-mode passes on shifted data),
    /// so an exporter that ignored or mixed up any of the four tensors would fail. Returns it in eval mode.
    /// </summary>
    public static SpecModel BuildTrained(ModelSpec spec, int seed = 42)
    {
        torch.random.manual_seed(seed);
        var model = ModelBuilder.Build(spec);
        using var noGrad = no_grad();
        TorchSharp.Modules.Linear? last = null;
        foreach (var (_, module) in model.named_modules())
        {
            if (module is TorchSharp.Modules.BatchNorm2d bn2)
                Randomise(bn2.weight!, bn2.bias!);
            else if (module is TorchSharp.Modules.BatchNorm1d bn1)
                Randomise(bn1.weight!, bn1.bias!);
            else if (module is TorchSharp.Modules.Linear linear)
                last = linear;
        }
        // A fresh model's logits are ~0.3, so its probabilities are nearly uniform and hide errors;
        // a trained model is confident. Scaling the last layer gives logits of a few units.
        last!.weight!.mul_(LogitScale);
        last.bias!.mul_(LogitScale);
        using var scope = NewDisposeScope();
        model.train();
        long[] shape = [16, .. spec.InputShape];
        for (var i = 0; i < 5; i++)
            model.forward(randn(shape).mul_(1.5).add_(0.3));
        model.eval();
        return model;
    }

    private const float LogitScale = 20;

    private static void Randomise(Tensor weight, Tensor bias)
    {
        weight.uniform_(0.5, 1.5);
        bias.normal_(0, 0.2);
    }
}
