using Anvil.Training.Metrics;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Metrics;

/// <summary>The Fréchet distance against cases computable by hand, and class coverage against hand counts.</summary>
public class FrechetDistanceTests
{
    // Columns of ±1 that are orthogonal and sum to zero: any per-column scale and shift gives a sample with exactly
    // that mean and a diagonal covariance whose entries are scale² · 4/3 (4 squares over n − 1 = 3).
    private static readonly float[,] Design = { { 1, 1, 1 }, { 1, -1, -1 }, { -1, 1, -1 }, { -1, -1, 1 } };

    private static Tensor Sample(double[] mean, double[] scale) =>
        tensor(Design).to(float64).mul(tensor(scale).unsqueeze(0)).add(tensor(mean).unsqueeze(0));

    [Fact]
    public void DiagonalCovariancesGiveTheSquaredMeanGapPlusTheSquaredStandardDeviationGaps()
    {
        double[] mean1 = [0, 1, -2], mean2 = [3, 1, 2], scale1 = [1, 2, 0.5], scale2 = [2, 2, 3];
        using var first = Sample(mean1, scale1);
        using var second = Sample(mean2, scale2);
        // σ = scale·√(4/3) per column, so Σ(σ₁ − σ₂)² = 4/3 · Σ(scale₁ − scale₂)²
        var expected = mean1.Zip(mean2, (a, b) => (a - b) * (a - b)).Sum() + 4.0 / 3 * scale1.Zip(scale2, (a, b) => (a - b) * (a - b)).Sum();

        Assert.Equal(expected, FrechetDistance.Compute(first, second), 9);
        Assert.Equal(expected, FrechetDistance.Compute(second.to(float32), first.to(float32)), 4); // symmetric, float32 inputs
    }

    [Fact]
    public void ARotationOfBothSetsLeavesTheDistanceUnchanged()
    {
        using var first = Sample([0, 1, -2], [1, 2, 0.5]);
        using var second = Sample([3, 1, 2], [2, 2, 3]);
        // An orthogonal matrix mixes the columns, so the covariances are no longer diagonal.
        var (q, _) = linalg.qr(tensor(new double[,] { { 2, 1, 0 }, { 1, 3, 1 }, { 0, 1, 4 } }));

        Assert.Equal(FrechetDistance.Compute(first, second), FrechetDistance.Compute(first.mm(q), second.mm(q)), 9);
    }

    [Fact]
    public void ASetIsAtDistanceZeroFromItself()
    {
        using var generator = new Generator(5);
        using var x = randn([500, 16], generator: generator);
        Assert.Equal(0, FrechetDistance.Compute(x, x), 6);
    }

    [Fact]
    public void MismatchedFeatureSizesAreRefused()
    {
        using var a = zeros(10, 4);
        using var b = zeros(10, 5);
        Assert.Contains("same D", Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(a, b)).Message);
    }

    [Fact]
    public void CoverageCountsTheClassesWithAtLeastFivePercent()
    {
        // 100 samples over 4 classes: 60, 35, 5 (exactly 5%: covered), 0.
        using var labels = cat(new[] { full(60, 0L), full(35, 1L), full(5, 2L) });
        Assert.Equal(0.75, ClassCoverage.Compute(labels, classCount: 4));
        using var collapsed = full(100, 3L);
        Assert.Equal(0.25, ClassCoverage.Compute(collapsed, classCount: 4));
    }
}
