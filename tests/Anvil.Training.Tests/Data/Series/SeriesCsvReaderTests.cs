using Anvil.Training.Data.Series;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data.Series;

public sealed class SeriesCsvReaderTests
{
    private static readonly string Sample = Path.Combine(TestFiles.Root, "seattle", "seattle-temps-sample.csv");

    [Fact]
    public void ReadsHourlyTemperaturesAndFillsTheDaylightSavingHour()
    {
        var series = SeriesCsvReader.Read(Sample, "temp");

        Assert.Equal(TimeSpan.FromHours(1), series.Step);
        Assert.Equal(new DateTime(2010, 3, 8, 16, 0, 0), series.Start);
        Assert.Equal(501, series.Values.Length); // 500 rows and the missing 03:00 of 14 March
        Assert.Equal(1, series.Filled);
        var filled = (int)((new DateTime(2010, 3, 14, 3, 0, 0) - series.Start) / series.Step);
        Assert.Equal((43.0f + 42.2f) / 2, series.Values[filled], 4);
        Assert.Equal(50.4f, series.Values[0]);
        Assert.Equal(50.5f, series.Values[^1]);
    }

    [Fact]
    public void AGapLongerThanTheLimitNamesItsTimeAndTheRecipeField()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("s.csv", "date,temp\n2010/01/01 00:00,1\n2010/01/01 01:00,2\n2010/01/01 05:00,3\n2010/01/01 06:00,4\n");

        var error = Assert.Throws<InvalidDataException>(() => SeriesCsvReader.Read(path, "temp"));

        Assert.Contains("3 value(s) missing from 2010-01-01 02:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("series.max_gap", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, SeriesCsvReader.Read(path, "temp", maxGap: 3).Filled);
    }

    [Theory]
    [InlineData("date,temp\n2010/01/01 00:00,1\n2010/01/01 01:00,NaN\n2010/01/01 02:00,3\n", null)]
    [InlineData("date,temp\n2010/01/01 00:00,1\n2010/01/01 01:00,\n2010/01/01 02:00,3\n", null)]
    [InlineData("date,temp\n2010/01/01 00:00,NaN\n2010/01/01 01:00,2\n2010/01/01 02:00,3\n", "at an end of the series")]
    [InlineData("date,temp\n2010/01/01 01:00,1\n2010/01/01 00:00,2\n2010/01/01 02:00,3\n", "does not come after")]
    [InlineData("date,temp\n2010/01/01 00:00,1\n2010/01/01 01:00,hot\n2010/01/01 02:00,3\n", "row 3: 'hot'")]
    [InlineData("date,temp\n2010/01/01 00:00,1\nyesterday,2\n2010/01/01 02:00,3\n", "row 3: 'yesterday' is not a time")]
    [InlineData("date,temperature\n2010/01/01 00:00,1\n", "no column 'temp'; its columns are date, temperature")]
    [InlineData("date,temp\n2010/01/01 00:00,1\n", "has 1 rows")]
    public void BadSeriesGetAOneLineReason(string csv, string? expected)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("s.csv", csv);

        if (expected is null)
        {
            Assert.Equal(2f, SeriesCsvReader.Read(path, "temp").Values[1]); // one missing value: interpolated
            return;
        }

        var error = Assert.Throws<InvalidDataException>(() => SeriesCsvReader.Read(path, "temp"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
