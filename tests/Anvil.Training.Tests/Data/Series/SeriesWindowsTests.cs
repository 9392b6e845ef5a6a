using Anvil.Training.Data.Series;

namespace Anvil.Training.Tests.Data.Series;

public sealed class SeriesWindowsTests
{
    [Fact]
    public void EachWindowIsFollowedByItsHorizon()
    {
        var values = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();

        var (inputs, targets, count) = new SeriesWindows(Input: 3, Horizon: 2, Stride: 2).Create(values);

        Assert.Equal(3, count); // starts 0, 2, 4 (a start at 6 would need values up to 10)
        Assert.Equal([0f, 1, 2, 2, 3, 4, 4, 5, 6], inputs);
        Assert.Equal([3f, 4, 5, 6, 7, 8], targets);
    }

    [Fact]
    public void TheSplitLeavesTheGapBetweenTheParts()
    {
        var (train, test) = new SeriesWindows(Input: 72, Horizon: 24).Split(length: 1_000, testFraction: 0.2, gap: 96);

        Assert.Equal(new Range(0, 704), train);
        Assert.Equal(new Range(800, 1_000), test);
        Assert.Equal(96, test.Start.Value - train.End.Value);
    }

    [Fact]
    public void ASeriesShorterThanOneWindowSaysWhatItNeeds()
    {
        var error = Assert.Throws<ArgumentException>(() => new SeriesWindows(72, 24).Create(new float[95]));

        Assert.Contains("The series has 95 values; one window needs 72 inputs plus 24 to forecast (96)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeasonalNaiveRepeatsTheValueOneSeasonEarlier()
    {
        float[] window = [1, 2, 3, 4, 5, 6]; // season 3: ... 4 5 6 | forecast 4 5 6 4 5

        var forecast = SeasonalNaive.Forecast(window, input: 6, horizon: 5, season: 3);

        Assert.Equal([4f, 5, 6, 4, 5], forecast);
        Assert.Equal(0.5, SeasonalNaive.MeanAbsoluteError([1f, 2], [1.5f, 1.5f]), 6);
    }

    [Fact]
    public void SeasonalNaiveIsExactOnAPurelyDailySeries()
    {
        var values = Enumerable.Range(0, 24 * 10).Select(h => (float)Math.Sin(h * Math.PI / 12)).ToArray();
        var (inputs, targets, _) = new SeriesWindows(72, 24).Create(values);

        var mae = SeasonalNaive.MeanAbsoluteError(SeasonalNaive.Forecast(inputs, 72, 24, 24), targets);

        Assert.True(mae < 1e-5, $"MAE {mae}");
    }
}
