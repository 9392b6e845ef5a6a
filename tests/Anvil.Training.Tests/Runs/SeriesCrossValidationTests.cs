using System.Globalization;
using Anvil.Training.Data;
using Anvil.Training.Data.Series;
using Anvil.Training.Models;
using Anvil.Training.Runs;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;

namespace Anvil.Training.Tests.Runs;

public sealed class SeriesCrossValidationTests
{
    private static readonly SeriesOptions Options = new() { ValueColumn = "temp", Input = 24, Horizon = 6, Gap = 5, Season = 24, TestFraction = 0.2 };

    // value = hour index, so every value says where in the series it came from.
    private static SourceData CountingSeries(TempDirectory temp, int hours) =>
        new DataSource(temp.Write("count.csv", "date,temp\n" + string.Join('\n', Enumerable.Range(0, hours)
            .Select(h => $"{new DateTime(2010, 1, 1).AddHours(h):yyyy/MM/dd HH:mm},{h.ToString(CultureInfo.InvariantCulture)}")) + "\n"))
            .Load(new Recipe { Series = Options }, csvPolicy: null, TextWriter.Null);

    [Fact]
    public void AFoldIsNormalisedAndStandardisedWithItsOwnTrainingWindowsOnly()
    {
        using var temp = new TempDirectory();
        using var data = CountingSeries(temp, 500);

        var (train, heldOut, preprocessing) = SeriesCrossValidation.PrepareFold(data.Train, 0..100, 134..200);
        using var _ = train;
        using var __ = heldOut;

        // Training windows 0..99 read hours 0..122; their inputs (hours n..n+23) average 11.5 + 49.5.
        Assert.Equal(61, preprocessing.Mean[0], 2);
        Assert.Equal(Enumerable.Range(0, 6).Select(h => 24f + h + 49.5f), preprocessing.TargetMean!, (a, b) => Math.Abs(a - b) < 1e-3);
        Assert.Equal(134 + 24, heldOut.Targets[0, 0].item<float>()); // held-out targets stay in the series' unit
        Assert.Equal(24, data.Train.Targets[0, 0].item<float>()); // and the source windows are not modified
    }

    [Fact]
    public void RollingOriginFoldsReportTheMaeAndTheSeasonalNaiveOfEachFold()
    {
        using var temp = new TempDirectory();
        using var data = CountingSeries(temp, 500);
        var spec = new ModelSpec
        {
            Name = "linear", InputShape = [24, 1], ClassNames = Options.TargetNames(), Head = TaskKind.Regression,
            Layers = [new() { Type = LayerTypes.Flatten }, new() { Type = LayerTypes.Dense }],
        };
        var recipe = new Recipe { Series = Options, Epochs = 2, BatchSize = 32, Optimizer = "adam", LearningRate = 0.01, ValidationFraction = 0, Seed = 1 };

        var result = SeriesCrossValidation.Run(data.Train, spec, recipe, Options, folds: 3, callbacks: null, CancellationToken.None);

        Assert.Equal(["test_mae", "seasonal_naive_mae"], result.Metrics);
        Assert.Equal(3, result.FoldCount);
        // On a counting series the value a day earlier is off by exactly 24 at every step.
        Assert.All(result.Values("seasonal_naive_mae"), mae => Assert.Equal(24, mae, 3));
        Assert.All(result.Values("test_mae"), mae => Assert.InRange(mae, 1e-6, 1e6));
        Assert.Equal(result.Values("test_mae").Average(), result.Mean("test_mae"), 9);
    }
}
