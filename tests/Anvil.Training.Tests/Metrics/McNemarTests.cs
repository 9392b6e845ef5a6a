using Anvil.Training.Metrics;

namespace Anvil.Training.Tests.Metrics;

public sealed class McNemarTests
{
    [Theory]
    // exact two-sided binomial p-values, computed independently in Python: min(1, 2 * sum(comb(n, i) for i in range(k + 1)) / 2 ** n)
    [InlineData(0, 0, 1.0)]
    [InlineData(5, 5, 1.0)]
    [InlineData(10, 2, 0.03857421875)]
    [InlineData(2, 10, 0.03857421875)]
    [InlineData(0, 6, 0.03125)]
    [InlineData(30, 12, 0.0079159)]
    public void PValueIsTheExactBinomialTail(int b, int c, double expected)
    {
        Assert.Equal(expected, McNemar.PValue(b, c), 5);
    }

    [Fact]
    public void CountsOnlyTheItemsWhereTheClassifiersDisagree()
    {
        bool[] first = [true, true, false, false, true, true];
        bool[] second = [true, false, true, false, false, true];

        var result = McNemar.Compare(first, second);

        Assert.Equal(2, result.OnlyFirstCorrect);
        Assert.Equal(1, result.OnlySecondCorrect);
        Assert.Equal(1.0, result.PValue, 6);
    }

    [Fact]
    public void LargeCountsStayFinite()
    {
        Assert.InRange(McNemar.PValue(5_000, 4_000), 0, 1e-20);
        Assert.Equal(1.0, McNemar.PValue(4_000, 4_000), 6);
    }

    [Fact]
    public void DifferentItemCountsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => McNemar.Compare([true], [true, false]));
    }
}
