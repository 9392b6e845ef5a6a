using Anvil.Training.Tuning;

namespace Anvil.Training.Tests.Tuning;

public class SamplerTests
{
    [Fact]
    public void TpeWithNTrialsReachesRandomSearchWithTwiceAsManyOnTheMedianOfSevenSeeds()
    {
        const int trials = 40;
        var seeds = Enumerable.Range(1, 7).ToArray();

        var tpe = seeds.Select(s => SyntheticObjective.BestAfter(new TpeSampler(s, maximize: false, startupTrials: 10), trials)).Order().ToArray();
        var random = seeds.Select(s => SyntheticObjective.BestAfter(new RandomSampler(s), 2 * trials)).Order().ToArray();

        Assert.True(tpe[3] <= random[3], $"median best: TPE {tpe[3]:F3} ({trials} trials) vs random {random[3]:F3} ({2 * trials} trials); TPE [{string.Join(", ", tpe.Select(v => v.ToString("F2")))}], random [{string.Join(", ", random.Select(v => v.ToString("F2")))}]");
    }

    [Fact]
    public void TpeIsDeterministicForASeed()
    {
        Assert.Equal(SyntheticObjective.BestAfter(new TpeSampler(5, false), 25), SyntheticObjective.BestAfter(new TpeSampler(5, false), 25));
        Assert.NotEqual(SyntheticObjective.BestAfter(new TpeSampler(5, false), 25), SyntheticObjective.BestAfter(new TpeSampler(6, false), 25));
    }

    [Fact]
    public void TpeKeepsEveryValueInsideItsRangeWholeForIntsAndAChoiceForCategoricals()
    {
        var history = new List<TrialRecord>();
        var sampler = new TpeSampler(3, maximize: false, startupTrials: 5);
        for (var number = 0; number < 30; number++)
        {
            var p = sampler.Sample(SyntheticObjective.Space, history, number)!;
            Assert.InRange(p["x"], -5, 10);
            Assert.InRange(p["learning_rate"], 1e-5, 1);
            Assert.InRange(p["epochs"], 1, 64);
            Assert.Equal(Math.Round(p["epochs"]), p["epochs"]);
            Assert.Contains(p["optimizer"], new[] { 0.0, 1.0, 2.0 });
            history.Add(new TrialRecord(number, p, TrialState.Complete, SyntheticObjective.Evaluate(p), new Dictionary<int, double>()));
        }
    }

    [Fact]
    public void GridEnumeratesTheProductOnceThenStops()
    {
        var space = new SearchSpace([], new Dictionary<string, ParameterRange>
        {
            ["optimizer"] = new() { Type = "categorical", Choices = ["sgd", "adam"] },
            ["epochs"] = new() { Type = "int", Low = 1, High = 3 },
            ["label_smoothing"] = new() { Type = "float", Low = 0, High = 0.2, Step = 0.1 },
        });
        var sampler = new GridSampler();

        var points = Enumerable.Range(0, 18).Select(n => sampler.Sample(space, [], n)!).ToList();

        Assert.Equal(18, GridSampler.Size(space));
        Assert.Equal(18, points.Select(p => space.Describe(p)).Distinct().Count());
        Assert.Equal(2 * 3 * 3, points.Count(p => p["optimizer"] is 0 or 1 && p["epochs"] is >= 1 and <= 3 && p["label_smoothing"] is >= 0 and <= 0.2 + 1e-9));
        Assert.Null(sampler.Sample(space, [], 18));
    }

    [Fact]
    public void RandomSamplerDrawsLogRangesEvenlyAcrossOrdersOfMagnitude()
    {
        var space = new SearchSpace([], new Dictionary<string, ParameterRange> { ["learning_rate"] = new() { Type = "float", Low = 1e-4, High = 1, Log = true } });
        var sampler = new RandomSampler(1);

        var belowOneThousandth = Enumerable.Range(0, 2000).Count(n => sampler.Sample(space, [], n)!["learning_rate"] < 1e-3);

        // A quarter of the orders of magnitude lie below 1e-3: about 500 of 2,000, far from the 2 a linear draw would give.
        Assert.InRange(belowOneThousandth, 400, 600);
    }

    [Fact]
    public void TpeSteersAwayFromWhereOtherWorkersAreAlreadyTraining()
    {
        var space = new SearchSpace([], new Dictionary<string, ParameterRange> { ["x"] = new() { Type = "float", Low = 0, High = 10 } });
        // Forty finished trials spread over [0, 10] of (x - 2)²: the best four sit around 2.
        var done = Enumerable.Range(0, 40).Select(i => new TrialRecord(i, new Dictionary<string, double> { ["x"] = (i + 0.5) / 4 }, TrialState.Complete,
            Math.Pow((i + 0.5) / 4 - 2, 2), new Dictionary<int, double>())).ToList();
        // Twenty more trials running right there, not yet reported.
        var running = Enumerable.Range(40, 20).Select(i => new TrialRecord(i, new Dictionary<string, double> { ["x"] = 1.5 + (i - 40) / 20.0 }, TrialState.Running,
            null, new Dictionary<int, double>())).ToList();
        var sampler = new TpeSampler(1, maximize: false, startupTrials: 10);

        var alone = Enumerable.Range(0, 40).Select(n => sampler.Sample(space, done, 100 + n)!["x"]).ToArray();
        var beside = Enumerable.Range(0, 40).Select(n => sampler.Sample(space, [.. done, .. running], 100 + n)!["x"]).ToArray();

        static int Crowded(double[] xs) => xs.Count(x => x is >= 1.5 and <= 2.5);
        Assert.True(Crowded(beside) < Crowded(alone) / 2, $"{Crowded(beside)} of 40 next to the running trials, {Crowded(alone)} without them");
    }

    [Fact]
    public void TpeCountsPrunedTrialsAndLearnsFromThoseThatGotFurthest()
    {
        var space = new SearchSpace([], new Dictionary<string, ParameterRange> { ["x"] = new() { Type = "float", Low = 0, High = 10 } });
        // Twenty pruned trials spread over [0, 10], none complete: three reached epoch 3 (x = 1.75 and 2.25 with 0.4
        // there, x = 7.75 with 0.1), the rest were stopped at epoch 1 with 0.5.
        var pruned = Enumerable.Range(0, 20).Select(i =>
        {
            var x = (i + 0.5) / 2;
            var curve = x is 1.75 or 2.25 ? new Dictionary<int, double> { [1] = 0.3, [3] = 0.4 }
                : x is 7.75 ? new Dictionary<int, double> { [1] = 0.3, [3] = 0.1 }
                : new Dictionary<int, double> { [1] = 0.5 };
            return new TrialRecord(i, new Dictionary<string, double> { ["x"] = x }, TrialState.Pruned, null, curve);
        }).ToList();
        var sampler = new TpeSampler(1, maximize: true, startupTrials: 10);

        var xs = Enumerable.Range(0, 40).Select(n => sampler.Sample(space, pruned, 100 + n)!["x"]).ToArray();

        // 20 finished trials pass the 10 startup ones though none is complete (a uniform draw would put about 8 of 40
        // in [1, 3]); γ(20) = 2 good: the furthest, by their value there, so x = 1.75 and 2.25, not 7.75 nor the 0.5s
        var nearGood = xs.Count(x => x is >= 1 and <= 3);
        Assert.True(nearGood >= 30, $"{nearGood} of 40 draws in [1, 3]: {string.Join(" ", xs.Select(x => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
