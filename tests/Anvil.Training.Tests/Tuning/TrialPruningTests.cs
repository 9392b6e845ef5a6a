using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using Anvil.Training.Tuning;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Tuning;

public class TrialPruningTests
{
    private static readonly Recipe Fast = new() { Model = "tiny-cnn", Epochs = 4, BatchSize = 16, Optimizer = "adam", LearningRate = 0.01, Seed = 3 };

    private static readonly TrialRecord Trial = new(7, new Dictionary<string, double>(), TrialState.Running, null, new Dictionary<int, double>());

    // The tiny image task with a validation split, trained with the given callback.
    private static TrainingResult Fit(Callback callback)
    {
        using var train = TinyData.Images(64);
        using var validation = TinyData.Images(32, seed: 9);
        manual_seed(1);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        return new Trainer(model, Fast, [callback]).Fit(train, validation);
    }

    [Fact]
    public void APrunedTrialStopsTrainingAfterTheEpochThePrunerJudged()
    {
        // Three finished trials that were perfect at every epoch: anything real falls below their median.
        var perfect = Enumerable.Range(0, 3).Select(n => new TrialRecord(n, new Dictionary<string, double>(), TrialState.Complete, 1.0,
            Enumerable.Range(1, 4).ToDictionary(e => e, _ => 1.01))).ToArray();
        var reported = new List<(int, double)>();
        var pruning = new TrialPruning(Trial, "val_accuracy", new MedianPruner(true, startupTrials: 3, warmupEpochs: 1),
            () => perfect, (epoch, value) => { reported.Add((epoch, value)); return true; });

        var result = Fit(pruning);

        Assert.Equal(2, result.History.Count);
        Assert.True(pruning.Pruned);
        Assert.Equal([1, 2], reported.Select(r => r.Item1));
        Assert.Equal(result.History[^1].ValidationAccuracy, pruning.LastValue);
        Assert.Contains("pruned at epoch 2: val_accuracy", result.StopReason);
    }

    [Fact]
    public void ALostLeaseStopsTrainingWithoutPruning()
    {
        var pruning = new TrialPruning(Trial, "val_loss", pruner: null, () => [], (_, _) => false);

        var result = Fit(pruning);

        Assert.Single(result.History);
        Assert.True(pruning.LeaseLost);
        Assert.False(pruning.Pruned);
    }

    [Fact]
    public void AMetricTheTrainingDoesNotReportIsAnErrorListingTheOnesItDoes()
    {
        var pruning = new TrialPruning(Trial, "val_mae", pruner: null, () => [], (_, _) => true);

        var error = Assert.Throws<ArgumentException>(() => Fit(pruning));

        Assert.Contains("metric 'val_mae' is not among this training's validation figures (val_loss, val_accuracy)", error.Message);
    }
}
