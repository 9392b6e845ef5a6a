using Anvil.Training.Privacy;

namespace Anvil.Training.Tests.Privacy;

public sealed class RdpAccountantTests
{
    // The expected values are TensorFlow Privacy's own test of the same computation:
    // tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy_test.py, test_compute_dp_sgd_privacy
    // (n, batch size, noise multiplier, epochs, δ → ε, optimal order), with q = batch / n and
    // steps = ceil(epochs · n / batch), over the same orders as DefaultOrders.
    [Theory]
    [InlineData(60_000, 150, 1.3, 15, 1e-5, 0.7242234026109595, 19.0)]
    [InlineData(100_000, 100, 1.0, 30, 1e-7, 1.4154988495444842, 13.0)]
    [InlineData(100_000_000, 1024, 0.1, 10, 1e-7, 5907982.3113978775, 1.25)] // a fractional order wins: the erfc series
    public void EpsilonMatchesTensorFlowPrivacy(int n, int batch, double sigma, int epochs, double delta, double expected, double expectedOrder)
    {
        var steps = (long)Math.Ceiling((double)epochs * n / batch);
        var (epsilon, order) = RdpAccountant.Epsilon((double)batch / n, sigma, steps, delta);
        Assert.Equal(expected, epsilon, expected * 1e-9);
        Assert.Equal(expectedOrder, order);
    }

    [Fact]
    public void WithoutSamplingItIsTheGaussianMechanism()
    {
        Assert.Equal(3 / (2 * 1.5 * 1.5), RdpAccountant.Rdp(1, 1.5, 3), 12);
        Assert.Equal(0, RdpAccountant.Rdp(0, 1.5, 3));
        Assert.Equal(double.PositiveInfinity, RdpAccountant.Rdp(0.01, 0, 3));
    }

    [Fact]
    public void FractionalOrdersLieBetweenTheirIntegerNeighbours()
    {
        // RDP is non-decreasing in the order, so the series for 2.5 must land between the exact sums for 2 and 3.
        var (two, half, three) = (RdpAccountant.Rdp(0.01, 1.1, 2), RdpAccountant.Rdp(0.01, 1.1, 2.5), RdpAccountant.Rdp(0.01, 1.1, 3));
        Assert.InRange(half, two, three);
    }

    [Fact]
    public void TheNoiseForABudgetSpendsAtMostThatBudget()
    {
        const double q = 256.0 / 60_000;
        const long steps = 40 * 235;
        var sigma = RdpAccountant.NoiseMultiplier(3, 1e-5, q, steps);
        Assert.InRange(RdpAccountant.Epsilon(q, sigma, steps, 1e-5).Epsilon, 2.9, 3.0);
        Assert.True(RdpAccountant.Epsilon(q, sigma * 0.99, steps, 1e-5).Epsilon > 3 * 0.995, "a little less noise should spend more than the budget");
        Assert.True(RdpAccountant.NoiseMultiplier(1, 1e-5, q, steps) > sigma, "a smaller budget needs more noise");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void ABudgetThatIsNotPositiveIsRefused(double epsilon)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RdpAccountant.NoiseMultiplier(epsilon, 1e-5, 0.01, 100));
        Assert.Contains("positive", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(25)]
    public void LogErfcSeriesAgreesWithErfcWhereBothAreRepresentable(double x)
    {
        var direct = Math.Log(MathNet.Numerics.SpecialFunctions.Erfc(x)); // erfc(25) ≈ 8e-274, still above double's least normal
        Assert.Equal(direct, RdpAccountant.LogErfc(x), Math.Abs(direct) * 1e-10);
        Assert.True(double.IsFinite(RdpAccountant.LogErfc(40)), "erfc(40) underflows a double; its log must not");
    }
}
