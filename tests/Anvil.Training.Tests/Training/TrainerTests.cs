using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Training;

public class TrainerTests
{
    private static readonly Recipe Fast = new()
    {
        Model = "tiny-cnn", Epochs = 4, BatchSize = 16, Optimizer = "adam", LearningRate = 0.01, ValidationFraction = 0, Seed = 3,
    };

    private static SpecModel NewModel(int seed = 1)
    {
        manual_seed(seed);
        return ModelBuilder.Build(TinyData.SmallCnn());
    }

    [Fact]
    public void FastDevRunLearnsTheTinyTask()
    {
        using var train = TinyData.Images(128);
        using var validation = TinyData.Images(64, seed: 9);
        using var model = NewModel();

        var result = new Trainer(model, Fast).Fit(train, validation);

        Assert.Equal(4, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, "training loss should fall");
        Assert.True(result.History[^1].ValidationAccuracy > 0.9, $"validation accuracy {result.History[^1].ValidationAccuracy}");
    }

    [Fact]
    public void LiveTensorCountStaysFlatAcrossEpochs()
    {
        using var train = TinyData.Images(96);
        using var validation = TinyData.Images(32, seed: 5);
        using var model = NewModel();
        var recipe = Fast with { Epochs = 5, EmaDecay = 0.9, CropPadding = 1, HorizontalFlip = true, Optimizer = "sgd", Schedule = "onecycle", LabelSmoothing = 0.1 };

        var result = new Trainer(model, recipe).Fit(train, validation);

        var counts = result.History.Select(h => h.LiveTensors).ToArray();
        Assert.All(counts.Skip(1), c => Assert.Equal(counts[1], c));
    }

    [Fact]
    public void SameSeedGivesTheSameWeights()
    {
        using var train = TinyData.Images(64);
        using var first = NewModel();
        using var second = NewModel();
        var recipe = Fast with { Epochs = 2, CropPadding = 1, HorizontalFlip = true };

        new Trainer(first, recipe).Fit(train);
        new Trainer(second, recipe).Fit(train);

        foreach (var (a, b) in first.parameters().Zip(second.parameters()))
            Assert.True(a.eq(b).all().item<bool>());
    }

    [Fact]
    public void ResumingFromACheckpointEndsWhereAnUninterruptedFitEnds()
    {
        using var train = TinyData.Images(64);
        using var directory = new TempDirectory();
        var recipe = Fast with { Epochs = 3, Optimizer = "sgd", Schedule = "onecycle", EmaDecay = 0.9, CropPadding = 1 };
        using var straight = NewModel();
        new Trainer(straight, recipe).Fit(train);

        using var interrupted = NewModel();
        var checkpoint = new ModelCheckpoint(directory.Path, monitor: "loss");
        using var cancellation = new CancellationTokenSource();
        var firstPart = new Trainer(interrupted, recipe, [checkpoint, new CancelAfterEpoch(1, cancellation)]).Fit(train, cancellationToken: cancellation.Token);
        using var resumed = NewModel(seed: 99); // different initial weights: everything must come from the checkpoint
        var secondPart = new Trainer(resumed, recipe).Fit(train, resumeFrom: checkpoint.LastDirectory);

        Assert.True(firstPart.Cancelled);
        Assert.Single(firstPart.History);
        Assert.Equal(2, secondPart.FirstEpoch);
        Assert.Equal([1, 2, 3], secondPart.History.Select(h => h.Epoch));
        foreach (var (a, b) in straight.parameters().Zip(resumed.parameters()))
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), "resumed weights differ from an uninterrupted fit");
    }

    [Fact]
    public void NanGuardStopsADivergingFitAndMarksItDiverged()
    {
        using var train = TinyData.Images(64);
        train.Features[3, 0, 0, 0] = float.NaN;
        using var model = NewModel();

        var result = new Trainer(model, Fast, [new NanGuard()]).Fit(train);

        Assert.True(result.Diverged);
        Assert.Contains("loss became NaN at epoch 1", result.StopReason);
        Assert.Single(result.History);
    }

    [Fact]
    public void EarlyStoppingStopsWhenTheMonitoredMetricPlateaus()
    {
        using var train = TinyData.Images(64);
        using var model = NewModel();
        // A learning rate this small cannot improve the loss by 1.0 in an epoch.
        var recipe = Fast with { Epochs = 20, LearningRate = 1e-6 };

        var result = new Trainer(model, recipe, [new EarlyStopping("loss", patience: 2, minDelta: 1.0)]).Fit(train);

        Assert.Equal(3, result.History.Count);
        Assert.Contains("early stopping: loss did not improve", result.StopReason);
    }

    [Fact]
    public void MonitoringAValidationMetricWithoutAValidationSplitSaysWhatToMonitorInstead()
    {
        using var train = TinyData.Images(32);
        using var directory = new TempDirectory();
        using var model = NewModel();

        var error = Assert.Throws<InvalidOperationException>(() =>
            new Trainer(model, Fast with { Epochs = 1 }, [new ModelCheckpoint(directory.Path, monitor: "val_loss")]).Fit(train));

        Assert.Contains("ModelCheckpoint monitors 'val_loss' but the fit has no validation split", error.Message);
        Assert.Contains("Monitor 'loss' or 'accuracy'", error.Message);
    }

    [Theory]
    [InlineData(3, 3)]   // 3 of the 8 batches a pass over 128 examples holds
    [InlineData(50, 8)]  // more than the data holds: one pass
    public void StepsPerEpochBoundsTheBatchesOfEachEpoch(int steps, int expected)
    {
        using var train = TinyData.Images(128);
        using var model = NewModel();
        var batches = new BatchCounter();

        var result = new Trainer(model, Fast with { Epochs = 2, StepsPerEpoch = steps }, [batches]).Fit(train);

        Assert.Equal(2, result.History.Count);
        Assert.Equal([expected, expected], batches.PerEpoch);
    }

    [Fact]
    public void StepsPerEpochBelowOneIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => (Fast with { StepsPerEpoch = 0 }).Validate());

        Assert.Contains("steps_per_epoch must be 1 or more", error.Message);
    }

    [Fact]
    public void DataOfAnotherShapeThanTheModelIsRejected()
    {
        using var model = NewModel();
        using var wrong = new Anvil.Training.Data.TensorDataset(zeros(4, 1, 9, 9), zeros(4, ScalarType.Int64), ["left", "right"]);

        var error = Assert.Throws<ArgumentException>(() => new Trainer(model, Fast).Fit(wrong));

        Assert.Contains("samples of shape [1, 9, 9] but model 'tiny-cnn' expects [1, 8, 8]", error.Message);
    }

    private sealed class CancelAfterEpoch(int epoch, CancellationTokenSource source) : Callback
    {
        public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
        {
            if (metrics.Epoch == epoch)
                source.Cancel();
        }
    }

    private sealed class BatchCounter : Callback
    {
        public List<int> PerEpoch { get; } = [];

        public override void OnEpochBegin(TrainingContext context) => PerEpoch.Add(0);

        public override void OnBatchEnd(TrainingContext context, int batch, double loss) => PerEpoch[^1]++;
    }
}
