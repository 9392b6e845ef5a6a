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
        Assert.False(gradients.Looped);
        AssertEachExampleClipped(model, gradients, data.Features, data.Targets, maxNorm, classes: 2);
    }

    // The clipped sums against a plain loop: each example's gradient by its own backward pass, scaled to at most maxNorm.
    private static void AssertEachExampleClipped(SpecModel model, PerSampleGradients gradients, Tensor inputs, Tensor targets, double maxNorm, int classes)
    {
        var parameters = gradients.Parameters.ToList();
        Assert.Equal(model.parameters().Count(), parameters.Count);
        var batch = (int)inputs.shape[0];
        var sums = gradients.ClippedSum(inputs, targets, (_, o, t) => CrossEntropy.Loss(o, t, 0), maxNorm, out var outputs, out var loss, out var norms);
        Assert.Equal(parameters, sums.Select(s => s.Parameter));
        Assert.Equal(new long[] { batch, classes }, outputs.shape);
        Assert.Equal(CrossEntropy.Loss(outputs, targets, 0).item<float>(), loss, 1e-4);

        var expected = parameters.Select(p => zeros_like(p)).ToArray();
        for (var i = 0; i < batch; i++)
        {
            model.zero_grad();
            CrossEntropy.Loss(model.forward(inputs[i..(i + 1)]), targets[i..(i + 1)], 0).backward();
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

    [Theory]
    [InlineData(1e6)]
    [InlineData(0.05)]
    public void AGruTextModelIsLoopedOverExamplesWithEachExampleClipped(double maxNorm)
    {
        // Embedding and GRU layers have no batched rule here: each example gets its own pass (dropout off to compare).
        manual_seed(5);
        var spec = BuiltInModels.Create("text-gru", [12], ["spam", "ham"], vocabularySize: 30);
        using var model = ModelBuilder.Build(spec with { Layers = [.. spec.Layers.Where(l => l.Type != LayerTypes.Dropout)] });
        model.train();
        var gradients = PerSampleGradients.For(model);
        Assert.True(gradients.Looped);
        using var tokens = randint(1, 30, [5, 12], dtype: ScalarType.Int64);
        using var labels = tensor(new long[] { 0, 1, 1, 0, 1 });

        AssertEachExampleClipped(model, gradients, tokens, labels, maxNorm, classes: 2);
    }
}
