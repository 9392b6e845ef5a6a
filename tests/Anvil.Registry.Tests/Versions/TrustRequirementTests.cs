using Anvil.Registry.Versions;

namespace Anvil.Registry.Tests.Versions;

/// <summary>Promotion requirements on a trust report: parsed strictly, met or not, and a figure not measured fails.</summary>
public sealed class TrustRequirementTests
{
    [Theory]
    [InlineData("robust_accuracy>=0.4", true)]
    [InlineData("robust_accuracy >= 0.42", false)]
    [InlineData("robust_accuracy_linf_0.1<=0.41", true)]
    [InlineData("test_accuracy>=0.91", true)]
    [InlineData("test_accuracy<=0.5", false)]
    public void AMeasuredFigureMeetsOrMissesItsBound(string text, bool met)
    {
        var failure = TrustRequirement.Parse(text).Check(TrustFilesTests.Report());

        Assert.Equal(met, failure is null);
        if (!met)
            Assert.Contains("is required but", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AFigureNotMeasuredFailsAndSaysHowToMeasureIt()
    {
        var failure = TrustRequirement.Parse("cv_mean_accuracy>=0.8").Check(TrustFilesTests.Report());

        Assert.Equal("cv_mean_accuracy>=0.8 is required but cv_mean_accuracy was not measured for this version (run ./anvil cv on the same data, then refresh the report)", failure);
        Assert.Contains("not measured", TrustRequirement.Parse("dp_epsilon<=3").Check(TrustFilesTests.Report()), StringComparison.Ordinal);
        Assert.Contains("not measured", TrustRequirement.Parse("robust_accuracy>=0.1").Check(null), StringComparison.Ordinal); // no report at all
    }

    [Fact]
    public void RobustAccuracyAtANamedEpsilonIsSpelledAsTheRunRecordsIt()
    {
        var requirement = TrustRequirement.Parse("robust_accuracy_linf_0.10>=0.4");

        Assert.Equal("robust_accuracy_linf_0.1", requirement.Figure);
        Assert.Equal(("linf", 0.1), requirement.AttackPoint);
        Assert.Null(requirement.Check(TrustFilesTests.Report()));
        Assert.Null(TrustRequirement.Parse("robust_accuracy>=0.4").AttackPoint); // no ε to attack at
    }

    [Theory]
    [InlineData("robust_accuracy_linf_0>=0.6", "with ε > 0")]
    [InlineData("robust_accuracy_l2_e>=0.6", "with ε > 0")]
    [InlineData("robust_accuracy>0.6", "is not FIGURE>=NUMBER or FIGURE<=NUMBER")]
    [InlineData("robust_accuracy>=", "is not FIGURE>=NUMBER")]
    [InlineData("robust_accuracy>=high", "is not FIGURE>=NUMBER")]
    [InlineData("robust_accuracy>=NaN", "is not FIGURE>=NUMBER")]
    [InlineData("", "is not FIGURE>=NUMBER")]
    [InlineData("robustness>=0.6", "names figure 'robustness', which a trust report does not hold; use one of test_accuracy")]
    [InlineData("robust_accuracy_linf>=0.6", "robust_accuracy_<linf|l2>_<ε>")]
    public void AMalformedRequirementOrUnknownFigureIsOneClearError(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => TrustRequirement.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
