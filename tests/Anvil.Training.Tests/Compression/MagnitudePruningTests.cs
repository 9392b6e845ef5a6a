using Anvil.Training.Compression;
using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Compression;

public class MagnitudePruningTests
{
    [Fact]
    public void TheSmallestWeightsAcrossLayersBecomeZeroAndStayZeroWhileTraining()
    {
        manual_seed(4);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        var largest = model.parameters().Max(p => p.abs().max().item<float>());
        Assert.Equal(0, MagnitudePruning.Sparsity(model), 3);

        MagnitudePruning.Apply(model, 0.7);

        Assert.InRange(MagnitudePruning.Sparsity(model), 0.69, 0.71);
        Assert.Equal(largest, model.parameters().Max(p => p.abs().max().item<float>())); // the largest weight survives
        using var data = TinyData.Images(64);
        using var keepZero = new MagnitudePruning();
        var recipe = new Recipe { Model = "tiny-cnn", Epochs = 2, BatchSize = 16, Optimizer = "sgd", LearningRate = 0.1, WeightDecay = 1e-3, ValidationFraction = 0 };
        new Trainer(model, recipe, [keepZero]).Fit(data);
        Assert.InRange(MagnitudePruning.Sparsity(model), 0.69, 0.71); // momentum and weight decay regrew none of them
    }

    [Fact]
    public void AFractionOutsideTheRangeIsRefused()
    {
        using var model = ModelBuilder.Build(TinyData.SmallCnn());

        var error = Assert.Throws<ArgumentException>(() => MagnitudePruning.Apply(model, 0));

        Assert.Contains("must be in (0, 1)", error.Message);
    }
}
