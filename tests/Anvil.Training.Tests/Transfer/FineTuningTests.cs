using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using Anvil.Training.Transfer;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Transfer;

/// <summary>Layer groups of a transfer recipe: frozen until their epoch, then trained at their own learning rate.</summary>
public class FineTuningTests
{
    // Layers of the tiny CNN: 0 conv (with batch norm), 1 pool, 2 flatten, 3 dense (the head).
    private static readonly LayerGroup Conv = new() { Name = "conv", Layers = [0, 1], LearningRateFactor = 0.1, UnfreezeEpoch = 2 };

    private static Recipe Recipe(params LayerGroup[] groups) => new()
    {
        Model = "tiny-cnn", Epochs = 2, BatchSize = 16, Optimizer = "adam", LearningRate = 0.01, Schedule = "onecycle", ValidationFraction = 0, Seed = 3,
        Transfer = new TransferOptions { Groups = groups },
    };

    [Fact]
    public void AFrozenGroupKeepsItsWeightsUntilItsUnfreezeEpochWhileTheHeadTrains()
    {
        using var train = TinyData.Images(64);
        manual_seed(1);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        var before = Snapshot(model);
        var afterEpoch = new List<Dictionary<string, Tensor>>();

        new Trainer(model, Recipe(Conv), [new LayerFreezing([Conv], TextWriter.Null), new AfterEpoch(() => afterEpoch.Add(Snapshot(model)))]).Fit(train);

        Assert.True(afterEpoch[0]["layers.00_conv2d.0.weight"].allclose(before["layers.00_conv2d.0.weight"], 0, 0), "the conv layer moved while frozen");
        Assert.False(afterEpoch[0]["layers.03_dense.weight"].allclose(before["layers.03_dense.weight"], 0, 0), "the head did not train in epoch 1");
        Assert.False(afterEpoch[1]["layers.00_conv2d.0.weight"].allclose(before["layers.00_conv2d.0.weight"], 0, 0), "the conv layer did not train after unfreezing");
    }

    [Fact]
    public void EachGroupLearnsAtItsFactorOfTheScheduledRate()
    {
        using var train = TinyData.Images(64);
        manual_seed(1);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        var rates = new List<double[]>();

        new Trainer(model, Recipe(Conv), [new OnBatch(c => rates.Add([.. c.Optimizer.ParamGroups.Select(g => g.LearningRate)]))]).Fit(train);

        Assert.Equal(8, rates.Count); // 4 batches × 2 epochs of a one-cycle schedule: the rate changes every step
        Assert.True(rates.Select(r => r[0]).Distinct().Count() > 4, "the head's rate does not follow the schedule");
        Assert.All(rates, r => Assert.Equal(0.1, r[1] / r[0], 9)); // head first, then the conv group at 0.1×
    }

    [Fact]
    public void AGroupThatReachesTheHeadIsRefused()
    {
        manual_seed(1);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        using var train = TinyData.Images(16);
        var everything = Conv with { Layers = [0, 3] };

        var error = Assert.Throws<ArgumentException>(() => new Trainer(model, Recipe(everything)).Fit(train));

        Assert.Contains("reaches layer 3", error.Message);
        Assert.Contains("groups hold pretrained layers 0-2", error.Message);
    }

    [Theory]
    [InlineData("""{"transfer": {"image_size": 16}}""", "transfer.image_size must be in [32, 512]")]
    [InlineData("""{"transfer": {"groups": [{"name": "a", "layers": [0, 4]}, {"name": "b", "layers": [3, 5]}]}}""", "layers [3, 5] overlap another group's")]
    [InlineData("""{"transfer": {"groups": [{"name": "a", "layers": [2]}]}}""", "layers must be [first, last]")]
    [InlineData("""{"transfer": {"groups": [{"name": "a", "layers": [0, 1], "unfreeze_epoch": 0}]}}""", "unfreeze_epoch must be 1 or more")]
    [InlineData("""{"transfer": {"train_images": 1}}""", "transfer.train_images must be 2 or more")]
    public void InvalidTransferSectionsNameTheField(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Anvil.Training.Training.Recipe.FromJson(json).Validate());

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("Invalid recipe: ", error.Message);
    }

    private static Dictionary<string, Tensor> Snapshot(SpecModel model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

    private sealed class AfterEpoch(Action action) : Callback
    {
        public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics) => action();
    }

    private sealed class OnBatch(Action<TrainingContext> action) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int batch, double loss) => action(context);
    }
}
