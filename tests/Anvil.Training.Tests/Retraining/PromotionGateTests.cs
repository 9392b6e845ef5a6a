using Anvil.Training.Retraining;

namespace Anvil.Training.Tests.Retraining;

public sealed class PromotionGateTests
{
    // b items only the challenger gets right, c only the champion, `both` both get right, `neither` neither.
    private static GateFigures HeldOut(int b, int c, int both, int neither, double championTest = 0.9, double challengerTest = 0.9)
    {
        var champion = new List<bool>();
        var challenger = new List<bool>();
        void Add(int n, bool first, bool second)
        {
            for (var i = 0; i < n; i++)
            {
                challenger.Add(first);
                champion.Add(second);
            }
        }
        Add(b, true, false);
        Add(c, false, true);
        Add(both, true, true);
        Add(neither, false, false);
        return new GateFigures(championTest, challengerTest, champion, challenger);
    }

    [Fact]
    public void ChallengerSignificantlyBetterOnFeedbackAndNotWorseOnTestIsPromoted()
    {
        var decision = new PromotionGate().Judge(HeldOut(b: 8, c: 1, both: 5, neither: 6, championTest: 0.900, challengerTest: 0.896));

        Assert.True(decision.Promote, string.Join("; ", decision.Reasons));
        Assert.Empty(decision.Reasons);
        Assert.Equal(2.0 * (1 + 9) / 512, decision.PValue, 12); // exact: 2 × P(X ≤ 1), X ~ Binomial(9, 1/2)
        Assert.Equal(0.30, decision.ChampionHeldOutAccuracy, 12); // 1 + 5 of 20
        Assert.Equal(0.65, decision.ChallengerHeldOutAccuracy, 12); // 13 of 20
        Assert.Equal(0.4, decision.TestDropPoints, 9);
    }

    [Fact]
    public void ATestDropBeyondTheToleranceIsRefusedWithItsNumbers()
    {
        var decision = new PromotionGate(TolerancePoints: 0.5).Judge(HeldOut(b: 20, c: 0, both: 0, neither: 0, championTest: 0.90, challengerTest: 0.89));

        Assert.False(decision.Promote);
        var reason = Assert.Single(decision.Reasons);
        Assert.Contains("test accuracy fell 1 points (90.00% → 89.00%), more than the tolerance of 0.5", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AGainThatIsNotSignificantIsRefusedWithThePValue()
    {
        var decision = new PromotionGate().Judge(HeldOut(b: 5, c: 0, both: 10, neither: 10));

        Assert.False(decision.Promote);
        Assert.Equal(2.0 / 32, decision.PValue, 12);
        Assert.Contains("not significant: McNemar p = 0.0625, not < 0.05", Assert.Single(decision.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void AChallengerWorseOnFeedbackIsRefusedEvenWhenSignificant()
    {
        var decision = new PromotionGate().Judge(HeldOut(b: 0, c: 10, both: 0, neither: 0));

        Assert.False(decision.Promote);
        Assert.Contains("the challenger is not better (0.00% vs the champion's 100.00%", Assert.Single(decision.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void AHeldOutSliceTooSmallForTheTestIsSaidAndRefused()
    {
        var gate = new PromotionGate();
        Assert.Equal(6, gate.MinimumDiscordant); // 2 × 0.5^5 = 0.0625, 2 × 0.5^6 = 0.03125

        var decision = gate.Judge(HeldOut(b: 5, c: 0, both: 0, neither: 0));

        Assert.False(decision.Promote);
        Assert.True(decision.TooSmall);
        Assert.Contains("has 5 items; McNemar's test needs at least 6", Assert.Single(decision.Reasons), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 0.05, "--tolerance must be 0 or more percentage points (e.g. 0.5); got -1.")]
    [InlineData(0.5, 0, "--significance must lie strictly between 0 and 1, e.g. 0.05 or 0.01; got 0.")]
    [InlineData(0.5, 1, "--significance must lie strictly between 0 and 1, e.g. 0.05 or 0.01; got 1.")]
    public void AGateOutOfRangeCannotBeMadeNorCopied(double tolerance, double alpha, string message)
    {
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new PromotionGate(tolerance, alpha)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new PromotionGate() with { TolerancePoints = tolerance, Alpha = alpha }).Message);

        var inRange = new PromotionGate() with { TolerancePoints = 0, Alpha = 0.01 };
        Assert.Equal((0.0, 0.01), (inRange.TolerancePoints, inRange.Alpha));
        Assert.True(inRange.Judge(HeldOut(b: 8, c: 0, both: 0, neither: 0)).Promote);
    }
}
