using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Support;

/// <summary>A tiny, learnable image task: class 0 is bright on the left half, class 1 on the right (plus noise).</summary>
internal static class TinyData
{
    public static TensorDataset Images(int count, int seed = 0)
    {
        using var generator = new Generator((ulong)seed + 1);
        var labels = randint(0, 2, [count], generator: generator);
        var noise = rand([count, 1, 8, 8], generator: generator).mul_(0.5f);
        var leftBright = zeros(1, 1, 8, 8);
        leftBright[.., .., .., ..4] = 1;
        var rightBright = leftBright.flip(3);
        var isRight = labels.view(count, 1, 1, 1).to(ScalarType.Float32);
        var features = noise.add_(leftBright.mul(1 - isRight)).add_(rightBright.mul(isRight));
        return new TensorDataset(features, labels, ["left", "right"]);
    }

    public static ModelSpec SmallCnn() => new()
    {
        Name = "tiny-cnn",
        InputShape = [1, 8, 8],
        ClassNames = ["left", "right"],
        Layers =
        [
            new LayerSpec { Type = "conv2d", Filters = 4, Padding = "same", BatchNorm = true, Activation = "relu" },
            new LayerSpec { Type = "maxpool2d" },
            new LayerSpec { Type = "flatten" },
            new LayerSpec { Type = "dense" },
        ],
    };
}
