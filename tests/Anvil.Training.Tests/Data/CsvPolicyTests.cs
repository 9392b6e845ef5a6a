using Anvil.Training.Data;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data;

public class CsvPolicyTests
{
    [Fact]
    public void FittedPolicyRoundTripsThroughJsonAndReplaysTheSameCleaning()
    {
        var policy = new CsvPolicy { LabelColumn = "species", MissingValues = MissingValuePolicy.Median, Outliers = OutlierPolicy.ClipZScore };
        var (train, fitted) = CsvDatasetReader.Fit(TestFiles.Csv("train.csv"), policy);
        train.Dispose();

        var json = fitted.ToJson();
        var restored = CsvPolicy.FromJson(json);

        Assert.Equal(json, restored.ToJson());
        Assert.Contains("\"missing_values\": \"median\"", json);
        Assert.Contains("\"outliers\": \"clip-z-score\"", json);
        using var expected = CsvDatasetReader.Read(TestFiles.Csv("test.csv"), fitted);
        using var actual = CsvDatasetReader.Read(TestFiles.Csv("test.csv"), restored);
        Assert.True(expected.Features.allclose(actual.Features, rtol: 0, atol: 0));
    }

    [Fact]
    public void DropRowIsWrittenInKebabCase()
    {
        var json = new CsvPolicy { LabelColumn = "y", MissingValues = MissingValuePolicy.DropRow }.ToJson();

        Assert.Contains("\"drop-row\"", json);
        Assert.Equal(MissingValuePolicy.DropRow, CsvPolicy.FromJson(json).MissingValues);
    }

    [Fact]
    public void InvalidPercentilesAreRejectedWithTheValidRange()
    {
        var policy = new CsvPolicy { LabelColumn = "species", Outliers = OutlierPolicy.ClipPercentile, LowerPercentile = 90, UpperPercentile = 10 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CsvDatasetReader.Fit(TestFiles.Csv("train.csv"), policy));

        Assert.Contains("0 <= LowerPercentile < UpperPercentile <= 100", error.Message);
    }
}
