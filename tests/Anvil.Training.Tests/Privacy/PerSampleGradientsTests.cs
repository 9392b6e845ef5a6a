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

    // Token ids (B, T) right-padded to uneven lengths, one row all padding (it counts as one step), small vocabulary so ids repeat.
    private static Tensor UnevenTokens(int vocabulary, long steps, params long[] lengths)
    {
        var ids = randint(1, vocabulary, [lengths.Length, steps], dtype: ScalarType.Int64);
        for (var i = 0; i < lengths.Length; i++)
            ids[i, TensorIndex.Slice(lengths[i])].fill_(0);
        return ids;
    }

    private static ModelSpec Text(int vocabulary, params LayerSpec[] recurrent) => new()
    {
        Name = "dp-text", InputShape = [12], InputKind = InputKinds.Tokens, ClassNames = ["spam", "ham", "other"],
        Layers =
        [
            new LayerSpec { Type = LayerTypes.Embedding, VocabularySize = vocabulary, Units = 5 },
            .. recurrent,
            new LayerSpec { Type = LayerTypes.SequencePool, Pooling = "max" },
            new LayerSpec { Type = LayerTypes.Dense },
        ],
    };

    [Theory]
    [InlineData(1e6, false)]
    [InlineData(0.05, false)]
    [InlineData(1e6, true)]
    [InlineData(0.05, true)]
    public void ATextGruModelHasEachExampleClippedBatchedOrLooped(double maxNorm, bool loop)
    {
        // The built-in text GRU (bidirectional, every step returned, max pooled) without its dropout, to compare.
        manual_seed(5);
        var spec = BuiltInModels.Create("text-gru", [12], ["spam", "ham"], vocabularySize: 30);
        using var model = ModelBuilder.Build(spec with { Layers = [.. spec.Layers.Where(l => l.Type != LayerTypes.Dropout)] });
        model.train();
        var gradients = PerSampleGradients.For(model, loop);
        Assert.Equal(loop, gradients.Looped);
        using var tokens = UnevenTokens(30, 12, 12, 7, 3, 0, 9);
        using var labels = tensor(new long[] { 0, 1, 1, 0, 1 });

        AssertEachExampleClipped(model, gradients, tokens, labels, maxNorm, classes: 2);
    }

    // Embedding, then a stacked bidirectional recurrent layer returning every step (max pooled) or, without the pooling, its
    // final states (the forward direction's held from each sequence's last valid step).
    [Theory]
    [InlineData(LayerTypes.Lstm, true, 1e6)]
    [InlineData(LayerTypes.Lstm, true, 0.05)]
    [InlineData(LayerTypes.Gru, false, 1e6)]
    [InlineData(LayerTypes.Gru, false, 0.05)]
    public void AnEmbeddingAndBidirectionalTwoLayerRecurrenceHasEachExampleClippedInOnePass(string type, bool returnSequences, double maxNorm)
    {
        manual_seed(6);
        var spec = Text(20, new LayerSpec { Type = type, Units = 4, NumLayers = 2, Bidirectional = true, ReturnSequences = returnSequences });
        using var model = ModelBuilder.Build(spec with { Layers = [.. spec.Layers.Where(l => returnSequences || l.Type != LayerTypes.SequencePool)] });
        var gradients = PerSampleGradients.For(model);
        Assert.False(gradients.Looped);
        using var tokens = UnevenTokens(20, 12, 2, 12, 5, 1, 8);
        using var labels = tensor(new long[] { 2, 0, 1, 2, 1 });

        AssertEachExampleClipped(model, gradients, tokens, labels, maxNorm, classes: 3);
    }

    [Theory]
    [InlineData(1e6)]
    [InlineData(0.05)]
    public void ASeriesLstmHasEachExampleClippedInOnePass(double maxNorm)
    {
        manual_seed(8);
        var spec = new ModelSpec
        {
            Name = "dp-series", InputShape = [10, 3], ClassNames = ["down", "up"],
            Layers = [new LayerSpec { Type = LayerTypes.Lstm, Units = 4, NumLayers = 2 }, new LayerSpec { Type = LayerTypes.Dense, Units = 5, Activation = "tanh" }, new LayerSpec { Type = LayerTypes.Dense }],
        };
        using var model = ModelBuilder.Build(spec);
        var gradients = PerSampleGradients.For(model);
        Assert.False(gradients.Looped);
        using var series = randn(5, 10, 3);
        using var labels = tensor(new long[] { 0, 1, 1, 0, 1 });

        AssertEachExampleClipped(model, gradients, series, labels, maxNorm, classes: 2);
    }

    [Fact]
    public void TheEmbeddingsPadRowGetsNothing()
    {
        manual_seed(9);
        using var model = ModelBuilder.Build(Text(20, new LayerSpec { Type = LayerTypes.Gru, Units = 3, ReturnSequences = true }));
        using var tokens = UnevenTokens(20, 12, 3, 6, 0);
        var sums = PerSampleGradients.For(model).ClippedSum(tokens, tensor(new long[] { 0, 1, 2 }), (_, o, t) => CrossEntropy.Loss(o, t, 0), 1.0, out _, out _, out _);

        var embedding = sums[0].Sum; // (V, D): the first parameter is the embedding's
        Assert.Equal(new long[] { 20, 5 }, embedding.shape);
        Assert.Equal(0f, embedding[0].abs().sum().item<float>());
        Assert.True(embedding[TensorIndex.Slice(1)].abs().sum().item<float>() > 0);
    }
}
