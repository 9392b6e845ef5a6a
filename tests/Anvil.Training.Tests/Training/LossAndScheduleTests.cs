using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Training;

public class LossAndScheduleTests
{
    [Fact]
    public void SmoothedCrossEntropyMatchesTheFormulaComputedByHand()
    {
        double[] logits = [2.0, -1.0, 0.5];
        const int target = 0;
        const double epsilon = 0.1;
        // Oracle: cross-entropy against the smoothed distribution q = (1-ε)·onehot + ε/C.
        var logSumExp = Math.Log(logits.Sum(Math.Exp));
        var logP = logits.Select(l => l - logSumExp).ToArray();
        var expected = -Enumerable.Range(0, 3).Sum(c => ((c == target ? 1 - epsilon : 0) + epsilon / 3) * logP[c]);

        using var loss = CrossEntropy.Loss(tensor(logits.Select(l => (float)l).ToArray()).view(1, 3), tensor(new long[] { target }), epsilon);

        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void UnsmoothedCrossEntropyIsMinusLogSoftmaxOfTheTarget()
    {
        using var loss = CrossEntropy.Loss(tensor(new[] { 0f, 0f }).view(1, 2), tensor(new long[] { 1 }));
        Assert.Equal(Math.Log(2), loss.item<float>(), 5);
    }

    [Fact]
    public void OneCycleWarmsUpToThePeakThenDecaysToAThousandth()
    {
        var schedule = new LearningRateSchedule("onecycle", peak: 1.0, totalSteps: 100, warmupFraction: 0.25);

        Assert.Equal(1.0 / 25, schedule.At(0), 9);
        Assert.Equal(1.0, schedule.At(25), 9);
        Assert.True(schedule.At(10) > schedule.At(5));
        Assert.True(schedule.At(60) < schedule.At(30));
        Assert.Equal(1.0 / 1000, schedule.At(100), 9);
    }

    [Fact]
    public void CosineIsHalfwayBetweenPeakAndFloorMidwayThroughTheDecay()
    {
        var schedule = new LearningRateSchedule("cosine", peak: 1.0, totalSteps: 110, warmupFraction: 10 / 110.0);

        Assert.Equal((1.0 + 0.001) / 2, schedule.At(60), 6);
    }

    [Fact]
    public void ConstantScheduleNeverChanges()
    {
        var schedule = new LearningRateSchedule("constant", peak: 0.3, totalSteps: 10, warmupFraction: 0.5);
        Assert.All(Enumerable.Range(0, 10), s => Assert.Equal(0.3, schedule.At(s)));
    }

    [Fact]
    public void InvalidRecipeNamesTheFieldAndTheValidChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => (Recipe.Default with { Optimizer = "rmsprop" }).Validate());
        Assert.Contains("optimizer 'rmsprop' is unknown; use sgd, adam or adamw", error.Message);
    }

    [Fact]
    public void RecipeSurvivesAJsonRoundTripAndRejectsUnknownFields()
    {
        Assert.Equal(Recipe.Default, Recipe.FromJson(Recipe.Default.ToJson()));
        Assert.Throws<InvalidDataException>(() => Recipe.FromJson("""{"epochz": 3}"""));
    }
}
