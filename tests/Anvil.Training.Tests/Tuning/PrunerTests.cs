using Anvil.Training.Tuning;

namespace Anvil.Training.Tests.Tuning;

public class PrunerTests
{
    private static TrialRecord Trial(int number, TrialState state, params double[] curve) =>
        new(number, new Dictionary<string, double>(), state, null, curve.Select((v, i) => (Epoch: i + 1, Value: v)).ToDictionary(p => p.Epoch, p => p.Value));

    // Three complete trials: their accuracies at epoch 2 are 0.70, 0.80 and 0.90 (median 0.80).
    private static readonly TrialRecord[] Complete =
    [
        Trial(0, TrialState.Complete, 0.60, 0.70, 0.75),
        Trial(1, TrialState.Complete, 0.70, 0.80, 0.85),
        Trial(2, TrialState.Complete, 0.85, 0.90, 0.92),
    ];

    [Fact]
    public void MedianPrunesATrialWhoseBestIsBelowTheMedianAtThatEpoch()
    {
        var pruner = new MedianPruner(maximize: true, startupTrials: 3);

        Assert.True(pruner.ShouldPrune(2, Trial(3, TrialState.Running, 0.50, 0.79), Complete));
        Assert.False(pruner.ShouldPrune(2, Trial(3, TrialState.Running, 0.50, 0.81), Complete));
        // The best so far counts: 0.82 at epoch 1 keeps a trial that dipped to 0.60 at epoch 2.
        Assert.False(pruner.ShouldPrune(2, Trial(3, TrialState.Running, 0.82, 0.60), Complete));
    }

    [Fact]
    public void MedianWaitsForItsStartupTrialsAndWarmupAndIgnoresUnfinishedTrials()
    {
        var bad = Trial(3, TrialState.Running, 0.10, 0.10);
        var others = Complete.Append(Trial(4, TrialState.Running, 0.95, 0.95)).Append(Trial(5, TrialState.Pruned, 0.99, 0.99)).ToArray();

        Assert.False(new MedianPruner(true, startupTrials: 4).ShouldPrune(2, bad, others));
        Assert.False(new MedianPruner(true, startupTrials: 3, warmupEpochs: 2).ShouldPrune(2, bad, others));
        Assert.True(new MedianPruner(true, startupTrials: 3, warmupEpochs: 1).ShouldPrune(2, bad, others));
    }

    [Fact]
    public void MedianMinimisingPrunesALossAboveTheMedian()
    {
        var losses = new[] { Trial(0, TrialState.Complete, 1.0, 0.5), Trial(1, TrialState.Complete, 1.0, 0.6), Trial(2, TrialState.Complete, 1.0, 0.7) };
        var pruner = new MedianPruner(maximize: false, startupTrials: 1);

        Assert.True(pruner.ShouldPrune(2, Trial(3, TrialState.Running, 1.2, 0.65), losses));
        Assert.False(pruner.ShouldPrune(2, Trial(3, TrialState.Running, 1.2, 0.55), losses));
    }

    [Fact]
    public void SuccessiveHalvingKeepsTheTopThirdAtEachRungOnly()
    {
        var pruner = new SuccessiveHalvingPruner(maximize: true, minEpochs: 1, reductionFactor: 3);
        // Five trials reached rung 1 (epoch 1): with the sixth, the best 6 / 3 = 2 go on.
        var rivals = new[] { 0.50, 0.60, 0.70, 0.80, 0.90 }.Select((v, i) => Trial(i, i < 3 ? TrialState.Pruned : TrialState.Running, v)).ToArray();

        Assert.False(pruner.ShouldPrune(1, Trial(9, TrialState.Running, 0.85), rivals)); // second best
        Assert.True(pruner.ShouldPrune(1, Trial(9, TrialState.Running, 0.75), rivals)); // third best
        Assert.False(pruner.ShouldPrune(2, Trial(9, TrialState.Running, 0.75, 0.10), rivals)); // epoch 2 is no rung
        Assert.True(pruner.IsRung(3) && pruner.IsRung(9) && !pruner.IsRung(4));
    }

    [Fact]
    public void SuccessiveHalvingLetsTheFirstTrialAtARungGoOnAndThenOnlyTheBest()
    {
        var pruner = new SuccessiveHalvingPruner(maximize: false, minEpochs: 2, reductionFactor: 2);

        Assert.False(pruner.ShouldPrune(2, Trial(0, TrialState.Running, 1.0, 0.9), []));
        Assert.True(pruner.ShouldPrune(2, Trial(1, TrialState.Running, 1.0, 0.95), [Trial(0, TrialState.Running, 1.0, 0.9)]));
        Assert.False(pruner.ShouldPrune(2, Trial(1, TrialState.Running, 1.0, 0.85), [Trial(0, TrialState.Running, 1.0, 0.9)]));
    }
}
