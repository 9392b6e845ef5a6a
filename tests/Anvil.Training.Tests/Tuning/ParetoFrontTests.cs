using Anvil.Training.Tuning;

namespace Anvil.Training.Tests.Tuning;

/// <summary>Non-dominated sorting and the multi-objective TPE split on points whose ranks were worked out by hand.</summary>
public class ParetoFrontTests
{
    private static TrialRecord Trial(int number, params double[] values) =>
        new(number, new Dictionary<string, double>(), TrialState.Complete, values[0], new Dictionary<int, double>()) { Values = values };

    [Fact]
    public void RanksFollowDominationWhenBothObjectivesAreMinimised()
    {
        // (1,5) (2,3) (4,1) are mutually non-dominated; (3,4) is beaten by (2,3); (5,5) by (3,4) too.
        double[][] points = [[1, 5], [2, 3], [4, 1], [3, 4], [5, 5]];

        var ranks = ParetoFront.Ranks(points, [false, false]);

        Assert.Equal([0, 0, 0, 1, 2], ranks);
    }

    [Fact]
    public void AMaximisedAccuracyAgainstAMinimisedLatencyRanksByTheTradeOff()
    {
        // (accuracy, latency ms): 0.90 at 2 ms and 0.85 at 1 ms trade off; 0.85 at 2 ms loses to both; 0.80 at 3 ms to it too.
        double[][] points = [[0.90, 2.0], [0.85, 1.0], [0.85, 2.0], [0.80, 3.0]];

        var ranks = ParetoFront.Ranks(points, [true, false]);

        Assert.Equal([0, 0, 1, 2], ranks);
    }

    [Fact]
    public void EqualPointsShareARankAndAPointEqualInOneObjectiveButWorseInTheOtherIsDominated()
    {
        // Two identical points dominate neither each other; (0.9, 3) ties (0.9, 2) on accuracy and is slower, so it is dominated.
        double[][] points = [[0.9, 2.0], [0.9, 2.0], [0.9, 3.0], [0.8, 1.0]];

        var ranks = ParetoFront.Ranks(points, [true, false]);

        Assert.Equal([0, 0, 1, 0], ranks);
    }

    [Fact]
    public void TheFrontOfAStudyHoldsOnlyItsNonDominatedCompleteTrials()
    {
        IReadOnlyList<Objective> objectives = [new() { Metric = "val_accuracy", Direction = "maximize" }, new() { Metric = "latency_ms", Direction = "minimize" }];
        var pruned = new TrialRecord(4, new Dictionary<string, double>(), TrialState.Pruned, null, new Dictionary<int, double>());
        TrialRecord[] trials = [Trial(0, 0.80, 3.0), Trial(1, 0.90, 2.0), Trial(2, 0.85, 1.0), Trial(3, 0.85, 2.0), pruned];

        var front = ParetoFront.Of(trials, objectives);

        Assert.Equal([1, 2], front.Select(t => t.Number));
    }

    [Fact]
    public void TheTpeSplitTakesWholeFrontsThenTheHypervolumeBestOfTheNextFront()
    {
        // Minimise both. Rank 0: trial 0 (0,0) alone. Rank 1: trials 1 (1,4), 2 (2,2), 3 (4,1). Rank 2: trial 4 (5,5).
        // Two good trials: trial 0, then one of rank 1 by hypervolume. Reference point: 1.1 × the front's worst (4, 4) = (4.4, 4.4).
        // Alone, (1,4) dominates 3.4 × 0.4 = 1.36, (2,2) dominates 2.4 × 2.4 = 5.76, (4,1) dominates 0.4 × 3.4 = 1.36: trial 2.
        TrialRecord[] trials = [Trial(0, 0, 0), Trial(1, 1, 4), Trial(2, 2, 2), Trial(3, 4, 1), Trial(4, 5, 5)];

        var good = TpeSplit.Good(trials, [false, false], count: 2);

        Assert.Equal([0, 2], good.Select(t => t.Number));
    }

    [Fact]
    public void TheHypervolumeSelectionAddsThePointThatAddsMostToThoseChosen()
    {
        // Front (1,4) (2,2) (4,1) of maximised negatives: maximise (-x, -y) is minimise (x, y). Reference (4.4, 4.4).
        // First (2,2): 5.76. Then adding (1,4) adds 1 × 0.4 = 0.4 and adding (4,1) adds 0.4 × 1 = 0.4: a tie, the earlier trial wins.
        TrialRecord[] trials = [Trial(1, -1, -4), Trial(2, -2, -2), Trial(3, -4, -1), Trial(4, -5, -5)];

        var good = TpeSplit.Good(trials, [true, true], count: 2);

        Assert.Equal([1, 2], good.Select(t => t.Number).Order());
    }

    [Fact]
    public void AMultiObjectiveTpeSamplesInsideTheSpaceAndIsReproducible()
    {
        var study = StudyDefinition.Parse("""
            {
              "name": "mo", "objectives": [{ "metric": "val_accuracy", "direction": "maximize" }, { "metric": "bytes", "direction": "minimize" }],
              "startup_trials": 3, "recipe": { "model": "mlp", "validation_fraction": 0.1 },
              "space": { "spec.layers[1].units": { "type": "int", "low": 8, "high": 256, "log": true } }
            }
            """);
        var space = study.SearchSpace();
        // Accuracy grows with width and so do bytes: every trial is on the front, the split must still choose.
        var trials = Enumerable.Range(0, 8).Select(i => Trial(i, 0.5 + i * 0.05, 1000 * (i + 1)) with { Parameters = new Dictionary<string, double> { ["spec.layers[1].units"] = 8 << (i % 6) } }).ToList();

        var first = study.CreateSampler().Sample(space, trials, 8)!;
        var again = study.CreateSampler().Sample(space, trials, 8)!;

        Assert.Equal(first, again);
        Assert.InRange(first["spec.layers[1].units"], 8, 256);
    }
}
