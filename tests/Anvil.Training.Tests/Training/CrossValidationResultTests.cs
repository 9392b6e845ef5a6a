using Anvil.Training.Training;

namespace Anvil.Training.Tests.Training;

public sealed class CrossValidationResultTests
{
    [Fact]
    public void MetricsNameEveryFoldAndTheMeanAndSampleStandardDeviationOfEachFigure()
    {
        var result = new CrossValidationResult(["test_mae", "seasonal_naive_mae"], [[1.0, 4.0], [3.0, 4.0]]);

        var metrics = result.ToMetrics();

        Assert.Equal("test_mae", result.Headline);
        Assert.Equal(1.0, metrics["fold1_test_mae"]);
        Assert.Equal(3.0, metrics["fold2_test_mae"]);
        Assert.Equal(2.0, metrics["cv_mean_test_mae"]);
        Assert.Equal(Math.Sqrt(2), metrics["cv_std_test_mae"], 12); // sample std of 1 and 3
        Assert.Equal(0.0, metrics["cv_std_seasonal_naive_mae"]);
        Assert.Equal(8, metrics.Count); // per figure: two folds, mean, std
    }
}
