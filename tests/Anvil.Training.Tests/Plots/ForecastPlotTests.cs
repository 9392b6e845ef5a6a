using Anvil.Training.Plots;

namespace Anvil.Training.Tests.Plots;

public class ForecastPlotTests
{
    [Fact]
    public void SavesADecodablePngOfAWeek()
    {
        var start = new DateTime(2010, 12, 1);
        var times = Enumerable.Range(0, 168).Select(h => start.AddHours(h)).ToList();
        var truth = times.Select((_, h) => 45 + (float)(6 * Math.Sin(h * Math.PI / 12))).ToList();
        var forecast = truth.Select(v => v + 0.8f).ToList();

        PngAssert.SavesDrawnPng(path => ForecastPlot.Save(times, truth, forecast, "°F", path), 1000, 400);
    }

    [Fact]
    public void LengthsThatDoNotMatchAreRejectedWithTheCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => ForecastPlot.Save([DateTime.UnixEpoch], [1f], [], "°F", PngAssert.TempPath()));

        Assert.Contains("Got 1 times, 1 observed and 0 forecast values", error.Message, StringComparison.Ordinal);
    }
}
