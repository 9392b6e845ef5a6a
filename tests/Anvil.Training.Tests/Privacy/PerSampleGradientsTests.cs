using Anvil.Training.Models;
using Anvil.Training.Privacy;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Privacy;

public sealed class PerSampleGradientsTests
{
    // Every layer kind DP-SGD trains: strided and padded convolutions with a bias, overlapping pooling, tanh, flatten, dense
    // layers. The second convolution has 16 filters: on the AVX-512 EPYC of 1 Dec 2026, libtorch's float32 gradient w.r.t. a
    // convolution's input was wrong (against float64 and finite differences) for output-channel counts that are not a
    // multiple of 16, now and then — decision 0004. The first layer's count is free: nothing needs its input's gradient.
    internal static ModelSpec Cnn() => new()
    {
        Name = "dp-cnn",
        InputShape = [1, 8, 8],
        ClassNames = ["left", "right"],
        Layers =
        [
            new LayerSpec { Type = "conv2d", Filters = 4, Kernel = 3, Stride = 2, Padding = "same", Activation = "tanh" },
            new LayerSpec { Type = "maxpool2d", Size = 2, Stride = 1 },
            new LayerSpec { Type = "conv2d", Filters = 16, Kernel = 2, Activation = "tanh" },
            new LayerSpec { Type = "flatten" },
            new LayerSpec { Type = "dense", Units = 6, Activation = "tanh" },
            new LayerSpec { Type = "dense" },
        ],
    };

    [Theory]
    [InlineData(1e6)] // no example is clipped: the sum is the batch gradient
    [InlineData(0.05)] // every example is clipped
    public void ClippedSumsEqualALoopOverSingleExamples(double maxNorm)
    {
        manual_seed(4);
        using var model = ModelBuilder.Build(Cnn());
        using var data = TinyData.Images(6);
        var gradients = PerSampleGradients.For(model);
        var parameters = gradients.Parameters.ToList();
        Assert.Equal(model.parameters().Count(), parameters.Count);

        var sums = gradients.ClippedSum(data.Features, o => CrossEntropy.Loss(o, data.Targets, 0) * 6, maxNorm, out var outputs, out var norms);
        Assert.Equal(parameters, sums.Select(s => s.Parameter));
        Assert.Equal(new long[] { 6, 2 }, outputs.shape);

        var expected = parameters.Select(p => zeros_like(p)).ToArray();
        for (var i = 0; i < 6; i++)
        {
            model.zero_grad();
            CrossEntropy.Loss(model.forward(data.Features[i..(i + 1)]), data.Targets[i..(i + 1)], 0).backward();
            var norm = Math.Sqrt(parameters.Sum(p => p.grad!.pow(2).sum().item<float>()));
            Assert.Equal(norm, norms[i].item<float>(), norm * 1e-4);
            var scale = Math.Min(1, maxNorm / (norm + 1e-6));
            for (var j = 0; j < parameters.Count; j++)
                expected[j] += parameters[j].grad! * scale;
        }
        for (var j = 0; j < parameters.Count; j++)
        {
            var largest = expected[j].abs().max().item<float>();
            Assert.True(sums[j].Sum.allclose(expected[j], rtol: 1e-4, atol: largest * 1e-4), $"parameter {j} differs by {(sums[j].Sum - expected[j]).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void BatchNormIsRefusedWithWhatToDoInstead()
    {
        using var model = ModelBuilder.Build(TinyData.SmallCnn()); // conv2d with batch_norm
        var error = Assert.Throws<ArgumentException>(() => PerSampleGradients.For(model));
        Assert.Contains("batch norm", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"batch_norm\": false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayerWithWeightsItCannotBoundIsNamed()
    {
        using var model = ModelBuilder.Build(BuiltInModels.Create("text-gru", [12], ["spam", "ham"], vocabularySize: 30));
        var error = Assert.Throws<ArgumentException>(() => PerSampleGradients.For(model));
        Assert.StartsWith("DP-SGD: layer 00_embedding", error.Message, StringComparison.Ordinal);
    }
}
