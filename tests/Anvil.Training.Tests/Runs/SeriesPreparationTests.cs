using System.Globalization;
using Anvil.Training.Data;
using Anvil.Training.Data.Series;
using Anvil.Training.Runs;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;

namespace Anvil.Training.Tests.Runs;

public sealed class SeriesPreparationTests
{
    private static readonly SeriesOptions Options = new() { ValueColumn = "temp", Input = 48, Horizon = 12, Gap = 10, Season = 24 };

    // value = hour index, so every value says where in the series it came from.
    private static string CountingSeries(TempDirectory temp, int hours) =>
        temp.Write("count.csv", "date,temp\n" + string.Join('\n', Enumerable.Range(0, hours)
            .Select(h => $"{new DateTime(2010, 1, 1).AddHours(h):yyyy/MM/dd HH:mm},{h.ToString(CultureInfo.InvariantCulture)}")) + "\n");

    private static PreparedData Prepare(string csv, Recipe recipe) =>
        PreparedData.Load(new DataSource(csv).Load(recipe, csvPolicy: null, TextWriter.Null), recipe, new TrainingLimits(null, null), preprocessing: null);

    private static float[] Raw(TensorDataset data, bool inputs, PreparedData prepared)
    {
        var values = (inputs ? data.Features : data.Targets).data<float>().ToArray();
        if (inputs)
            return values.Select(v => (v * prepared.Preprocessing!.Std[0]) + prepared.Preprocessing.Mean[0]).ToArray();
        var (mean, std) = (prepared.Preprocessing!.TargetMean!, prepared.Preprocessing.TargetStd!);
        return values.Select((v, i) => (v * std[i % std.Length]) + mean[i % mean.Length]).ToArray();
    }

    [Fact]
    public void TrainValidationAndTestFollowInTimeWithTheGapBetweenThem()
    {
        using var temp = new TempDirectory();
        var recipe = new Recipe { Series = Options, ValidationFraction = 0.2 };

        using var data = Prepare(CountingSeries(temp, 1_000), recipe);

        var trainTargets = Raw(data.Train, inputs: false, data);
        var validationInputs = Raw(data.Validation!, inputs: true, data);
        var validationTargets = Raw(data.Validation!, inputs: false, data);
        var testInputs = data.Test.Features.data<float>().ToArray().Select(v => (v * data.Preprocessing!.Std[0]) + data.Preprocessing.Mean[0]).ToArray();
        Assert.Equal(10, Math.Round(validationInputs.Min() - trainTargets.Max() - 1)); // the gap, in values
        Assert.Equal(10, Math.Round(testInputs.Min() - validationTargets.Max() - 1));
        Assert.Equal(999, data.Test.Targets.data<float>().ToArray().Max()); // test targets in the original unit: the last hour
        Assert.Equal(data.Series!.TestStart, (int)Math.Round(testInputs.Min()));
        // Inputs standardised with the training windows' statistics only (the mean of a counting series is its middle).
        var trainInputs = Raw(data.Train, inputs: true, data);
        Assert.Equal(trainInputs.Average(), data.Preprocessing!.Mean[0], 1);
        Assert.True(data.Preprocessing.Mean[0] < validationInputs.Min(), "normalisation saw only training values");
        Assert.Equal(12, data.Preprocessing.TargetMean!.Length);
        Assert.Equal(new[] { "t+1", "t+12" }, new[] { data.Train.TargetNames[0], data.Train.TargetNames[^1] });
    }

    [Fact]
    public void TheSameRecipeAndSavedPreprocessingRebuildTheSameWindows()
    {
        var sample = Path.Combine(TestFiles.Root, "seattle", "seattle-temps-sample.csv");
        var recipe = new Recipe { Series = Options, ValidationFraction = 0.1 };
        using var first = Prepare(sample, recipe);
        var run = new RecordedRun("r1", "unused", new DataSource(sample).ToParameters(), Finished: false);
        var spec = Anvil.Training.Models.BuiltInModels.Create("series-gru", [48, 1], Options.TargetNames()) with { Preprocessing = first.Preprocessing };

        using var again = RunPipeline.LoadAgain(run, new RunArtifacts("unused"), recipe, spec, TextWriter.Null);

        foreach (var (a, b) in new[] { (first.Train, again.Train), (first.Validation!, again.Validation!), (first.Test, again.Test) })
        {
            Assert.Equal(a.Features.data<float>().ToArray(), b.Features.data<float>().ToArray());
            Assert.Equal(a.Targets.data<float>().ToArray(), b.Targets.data<float>().ToArray());
        }
    }

    [Theory]
    [InlineData(300, 0.1, "each part needs at least one window")]
    [InlineData(700, 0.02, "too few to keep validation_fraction 0.02")]
    public void TooShortASeriesSaysWhatToChange(int hours, double validationFraction, string expected)
    {
        using var temp = new TempDirectory();
        var recipe = new Recipe { Series = Options with { Input = 200, Horizon = 24, TestFraction = 0.35 }, ValidationFraction = validationFraction };

        var error = Assert.Throws<ArgumentException>(() => Prepare(CountingSeries(temp, hours), recipe));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("series.input", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 24, "series.input must be in [1, 10000]")]
    [InlineData(72, 0, "series.horizon must be in [1, 1000]")]
    [InlineData(12, 24, "series.season must be in [1, series.input = 12]")]
    public void OutOfRangeSeriesOptionsNameTheField(int input, int horizon, string expected)
    {
        var recipe = new Recipe { Series = Options with { Input = input, Horizon = horizon } };

        var error = Assert.Throws<ArgumentException>(recipe.Validate);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
