using Anvil.Training.Compression;
using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Compression;

public class ChannelPruningTests
{
    private static ModelSpec Net(params LayerSpec[] layers) => new() { Name = "net", InputShape = [1, 8, 8], ClassNames = ["left", "right"], Layers = layers };

    private static readonly ModelSpec VggLike = Net(
        new LayerSpec { Type = "conv2d", Filters = 32, Padding = "same", BatchNorm = true, Activation = "relu" },
        new LayerSpec { Type = "maxpool2d" },
        new LayerSpec { Type = "conv2d", Filters = 32, Padding = "same", Activation = "relu" },
        new LayerSpec { Type = "dropout", Rate = 0.2 },
        new LayerSpec { Type = "flatten" },
        new LayerSpec { Type = "dense", Units = 10, Activation = "relu" },
        new LayerSpec { Type = "dense" });

    [Fact]
    public void RemovingChannelsThatCarryNothingLeavesTheOutputsAsTheyWere()
    {
        manual_seed(5);
        using var source = ModelBuilder.Build(VggLike);
        using (var data = TinyData.Images(64)) // a little training, so batch norm's running statistics are not the identity
            new Trainer(source, new Recipe { Model = "net", Epochs = 1, BatchSize = 16, ValidationFraction = 0 }).Fit(data);
        SilenceHalfTheChannels(source);
        using var input = randn(16, 1, 8, 8, generator: new Generator(3));
        source.eval();
        using var expected = source.forward(input);

        var result = ChannelPruning.Prune(source, 0.5);
        using var pruned = result.Model;
        pruned.eval();
        using var actual = pruned.forward(input);

        Assert.Equal([16, 16, 5], result.Changes.Select(c => c.After));
        Assert.Equal([32, 32, 10], result.Changes.Select(c => c.Before));
        Assert.Equal(16, pruned.Spec.Layers[0].Filters);
        Assert.Equal(16, pruned.Spec.Layers[2].Filters);
        Assert.Equal(5, pruned.Spec.Layers[5].Units);
        Assert.True(pruned.parameters().Sum(p => p.numel()) < source.parameters().Sum(p => p.numel()) / 2);
        Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 1e-5), $"largest difference {(expected - actual).abs().max().item<float>()}");
    }

    [Fact]
    public void LayersFeedingAResidualBlockAndTheHeadKeepTheirWidth()
    {
        manual_seed(2);
        using var source = ModelBuilder.Build(Net(
            new LayerSpec { Type = "conv2d", Filters = 4, Padding = "same", Activation = "relu" },
            new LayerSpec { Type = "residual", Filters = 4 },
            new LayerSpec { Type = "conv2d", Filters = 6, Padding = "same", Activation = "relu" },
            new LayerSpec { Type = "global_avgpool" },
            new LayerSpec { Type = "dense" }));

        var result = ChannelPruning.Prune(source, 0.5);
        using var pruned = result.Model;

        var change = Assert.Single(result.Changes);
        Assert.Equal((2, 6, 3), (change.Index, change.Before, change.After));
        Assert.Equal(4, pruned.Spec.Layers[0].Filters);
        Assert.Null(pruned.Spec.Layers[4].Units);
        using var output = pruned.forward(zeros(2, 1, 8, 8));
        Assert.Equal([2L, 2], output.shape);
    }

    [Fact]
    public void AModelWithNothingToPruneAndAFractionOutsideTheRangeAreRefused()
    {
        using var flat = ModelBuilder.Build(Net(new LayerSpec { Type = "flatten" }, new LayerSpec { Type = "dense" }));
        using var cnn = ModelBuilder.Build(VggLike);

        var nothing = Assert.Throws<ArgumentException>(() => ChannelPruning.Prune(flat, 0.5));
        var range = Assert.Throws<ArgumentException>(() => ChannelPruning.Prune(cnn, 1.0));

        Assert.Contains("has no layer channel pruning can narrow", nothing.Message);
        Assert.Contains("must be in (0, 1)", range.Message);
    }

    /// <summary>Zeroes the weights (and batch norm's γ and β) of the odd channels of every hidden layer, so they output exactly 0 after ReLU.</summary>
    private static void SilenceHalfTheChannels(SpecModel model)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (name.StartsWith("layers.06_", StringComparison.Ordinal) || name.EndsWith("num_batches_tracked", StringComparison.Ordinal) || name.Contains("running", StringComparison.Ordinal))
                continue; // the head, and batch norm's statistics (γ = β = 0 silences the channel whatever they are)
            using var odd = arange(1, tensor.shape[0], 2);
            tensor.index_fill_(0, odd, 0);
        }
    }
}
