using Anvil.Training.Data;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;

namespace Anvil.Training.Tests.Data;

public class DataSourceTests
{
    [Fact]
    public void HashIsOfTheRawFilesWhateverTheTrainingOptions()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);
        var hash = new DataSource(directory.Path).Hash();

        Assert.Equal(hash, new DataSource(directory.Path, LabelColumn: "ignored for images").Hash());
        directory.Write("dog/3.png", TestImages.Png(8, 6, SkiaSharp.SKColors.Green));
        Assert.NotEqual(hash, new DataSource(directory.Path).Hash());
    }

    [Fact]
    public void CsvHeldOutTestRowsDoNotMoveTheFittedFillValue()
    {
        // 10 rows, labels a/b alternating; the 20% hold-out takes one row of each class.
        long[] labels = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
        var (train, test) = DataSplit.SplitIndices(labels, 0.2, Recipe.Default.Seed);
        var x = Enumerable.Range(0, 10).Select(i => test.Contains(i) ? 1000.0 : i).ToArray(); // test rows are far out
        using var directory = new TempDirectory();
        var csv = directory.Write("data.csv", "x,y\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"{x[i]},{(labels[i] == 0 ? "a" : "b")}\n")));

        using var data = new DataSource(csv, LabelColumn: "y").Load(Recipe.Default with { MissingValues = MissingValuePolicy.Mean }, csvPolicy: null, TextWriter.Null);

        var trainMean = train.Average(i => x[i]);
        Assert.Equal(trainMean, data.CsvPolicy!.Fitted![0].Fill!.Value, 1e-12);
        Assert.NotEqual(x.Average(), data.CsvPolicy.Fitted[0].Fill!.Value, 3);
        Assert.Equal([1000f, 1000f], data.Test.Features.data<float>().ToArray());
    }
}
