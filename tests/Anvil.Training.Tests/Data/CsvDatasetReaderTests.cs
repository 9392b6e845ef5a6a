using Anvil.Training.Data;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data;

public class CsvDatasetReaderTests
{
    private static readonly CsvPolicy Species = new() { LabelColumn = "species", MissingValues = MissingValuePolicy.Mean };

    [Fact]
    public void StringLabelsBecomeOrdinallySortedClassesAndFeaturesAreNByF()
    {
        var (data, policy) = CsvDatasetReader.Fit(TestFiles.Csv("train.csv"), Species);
        using (data)
        {
            Assert.Equal(new long[] { 6, 2 }, data.Features.shape);
            Assert.Equal(["setosa", "versicolor", "virginica"], data.ClassNames);
            Assert.Equal(new long[] { 0, 0, 1, 1, 2, 2 }, data.Labels.data<long>().ToArray());
            Assert.Equal(["sepal_length", "sepal_width"], policy.FeatureColumns!);
        }
    }

    [Fact]
    public void MeanFittedOnTrainIsReplayedOnTest()
    {
        var (train, policy) = CsvDatasetReader.Fit(TestFiles.Csv("train.csv"), Species);
        train.Dispose();

        using var test = CsvDatasetReader.Read(TestFiles.Csv("test.csv"), policy);

        // Train sepal_width present values 3.5, 3.2, 3.2, 3.3, 2.7 → mean 3.18 (test's own mean would be 2.8).
        Assert.Equal(3.18, policy.Fitted![1].Fill!.Value, 1e-12);
        Assert.Equal(3.18f, test.Features[0, 1].item<float>(), 1e-6f);
        Assert.Equal(2.8f, test.Features[1, 1].item<float>(), 1e-6f);
    }

    [Fact]
    public void MedianFittedOnTrainIsReplayedOnTest()
    {
        var (train, policy) = CsvDatasetReader.Fit(TestFiles.Csv("train.csv"), Species with { MissingValues = MissingValuePolicy.Median });
        train.Dispose();

        using var test = CsvDatasetReader.Read(TestFiles.Csv("test.csv"), policy);

        Assert.Equal(3.2f, test.Features[0, 1].item<float>(), 1e-6f);
    }

    [Fact]
    public void DropRowPolicyLeavesOutRowsWithMissingCells()
    {
        var (data, _) = CsvDatasetReader.Fit(TestFiles.Csv("train.csv"), Species with { MissingValues = MissingValuePolicy.DropRow });
        using (data)
            Assert.Equal(5, data.Count);
    }

    [Fact]
    public void MissingCellUnderTheFailPolicyNamesLineAndColumn()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            CsvDatasetReader.Fit(TestFiles.Csv("train.csv"), new CsvPolicy { LabelColumn = "species" }));

        Assert.Contains("line 3", error.Message);
        Assert.Contains("'sepal_width'", error.Message);
        Assert.Contains("drop-row, mean or median", error.Message);
    }

    [Fact]
    public void NonNumericCellIsRejectedWithFileLineColumnAndText()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("bad.csv", "a,b,label\n1,2,x\n3,three,y\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvDatasetReader.Fit(path, new CsvPolicy { LabelColumn = "label" }));

        Assert.Contains(path, error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("column 'b'", error.Message);
        Assert.Contains("'three'", error.Message);
    }

    [Fact]
    public void RaggedRowIsRejectedWithItsLineNumber()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("ragged.csv", "a,b,label\n1,2,x\n3,y\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvDatasetReader.Fit(path, new CsvPolicy { LabelColumn = "label" }));

        Assert.Contains("line 3 has 2 cells but the header has 3 columns", error.Message);
    }

    [Fact]
    public void UnknownLabelIsRejectedListingTheGivenClasses()
    {
        var policy = Species with { ClassNames = ["setosa", "versicolor"] };

        var error = Assert.Throws<InvalidDataException>(() => CsvDatasetReader.Fit(TestFiles.Csv("train.csv"), policy));

        Assert.Contains("line 6: label 'virginica'", error.Message);
        Assert.Contains("(setosa, versicolor)", error.Message);
    }

    [Fact]
    public void IntegerLabelOutOfRangeIsRejectedWithTheValidRange()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("ints.csv", "x,label\n1,0\n2,1\n3,5\n");

        var error = Assert.Throws<InvalidDataException>(() =>
            CsvDatasetReader.Fit(path, new CsvPolicy { LabelColumn = "label", ClassNames = ["no", "yes"] }));

        Assert.Contains("label '5'", error.Message);
        Assert.Contains("[0, 1]", error.Message);
    }

    [Fact]
    public void IntegerLabelsAreClassIndices()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("ints.csv", "x,label\n1,2\n2,0\n");

        var (data, _) = CsvDatasetReader.Fit(path, new CsvPolicy { LabelColumn = "label" });
        using (data)
        {
            Assert.Equal(["0", "1", "2"], data.ClassNames);
            Assert.Equal(new long[] { 2, 0 }, data.Labels.data<long>().ToArray());
        }
    }

    [Fact]
    public void PercentileClipBoundsComeFromTrainAndApplyToTest()
    {
        using var directory = new TempDirectory();
        var train = directory.Write("train.csv", "x,label\n0,a\n10,b\n20,a\n30,b\n40,a\n");
        var test = directory.Write("test.csv", "x,label\n-100,a\n100,b\n");
        var policy = new CsvPolicy { LabelColumn = "label", Outliers = OutlierPolicy.ClipPercentile, LowerPercentile = 25, UpperPercentile = 75 };

        var (trainData, fitted) = CsvDatasetReader.Fit(train, policy);
        trainData.Dispose();
        using var testData = CsvDatasetReader.Read(test, fitted);

        Assert.Equal(new[] { 10f, 30f }, testData.Features.data<float>().ToArray());
    }

    [Fact]
    public void ZScoreClipUsesTrainMeanAndStandardDeviation()
    {
        using var directory = new TempDirectory();
        var train = directory.Write("train.csv", "x,label\n1,a\n3,b\n"); // mean 2, population std 1
        var policy = new CsvPolicy { LabelColumn = "label", Outliers = OutlierPolicy.ClipZScore, ZScore = 2 };

        var (data, fitted) = CsvDatasetReader.Fit(train, policy);
        data.Dispose();

        Assert.Equal(new CsvFittedColumn("x", null, 0, 4), fitted.Fitted![0]);
    }

    [Fact]
    public void ReadWithAnUnfittedPolicyIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => CsvDatasetReader.Read(TestFiles.Csv("test.csv"), Species));

        Assert.Contains("call CsvDatasetReader.Fit", error.Message);
    }
}
