using Anvil.Training.Data;
using Anvil.Training.Data.Series;
using Anvil.Training.Models;
using Anvil.Training.Runs;
using Anvil.Training.Tests.Plots;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Runs;

public sealed class ForecastEvaluationTests
{
    private static readonly string Sample = Path.Combine(TestFiles.Root, "seattle", "seattle-temps-sample.csv");
    private static readonly SeriesOptions Options = new() { ValueColumn = "temp", Input = 48, Horizon = 12, Gap = 10, TestFraction = 0.2, Season = 24 };

    [Fact]
    public void AModelPredictingTheTrainingMeanScoresTheMaeOfTheMeanInTheOriginalUnit()
    {
        var recipe = new Recipe { Series = Options, ValidationFraction = 0 };
        using var data = PreparedData.Load(new DataSource(Sample).Load(recipe, null, TextWriter.Null), recipe, new TrainingLimits(null, null), preprocessing: null);
        var spec = ModelChoice.Resolve("series-gru", data.Train) with { Preprocessing = data.Preprocessing };
        using var model = ModelBuilder.Build(spec);
        using (no_grad())
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.Contains("dense", StringComparison.Ordinal)))
                parameter.zero_(); // the output is 0, the standardised training mean
        var plot = PngAssert.TempPath();

        var metrics = ForecastEvaluation.Run(model, data, plot, TextWriter.Null, interactive: false);

        // Oracle from the raw CSV: 501 hourly values, the last 100 are the test part, the 10 before them the gap.
        var values = SeriesCsvReader.Read(Sample, "temp").Values;
        var (trainEnd, testStart) = (values.Length - 100 - 10, values.Length - 100);
        var trainWindows = trainEnd - 60 + 1;
        var testWindows = 100 - 60 + 1;
        double meanError = 0, naiveError = 0;
        for (var h = 0; h < 12; h++)
        {
            var trainingMean = Enumerable.Range(0, trainWindows).Average(n => (double)values[n + 48 + h]);
            Assert.Equal(trainingMean, data.Preprocessing!.TargetMean![h], 3);
            for (var n = 0; n < testWindows; n++)
            {
                var target = values[testStart + n + 48 + h];
                meanError += Math.Abs(target - trainingMean);
                naiveError += Math.Abs(target - values[testStart + n + 24 + h]); // the same hour a day earlier
            }
        }
        Assert.Equal(meanError / (12 * testWindows), metrics["test_mae"], 3);
        Assert.Equal(naiveError / (12 * testWindows), metrics["seasonal_naive_mae"], 4);
        Assert.True(metrics["test_rmse"] >= metrics["test_mae"]);
        Assert.Equal(TaskKind.Regression, spec.Head);
        PngAssert.IsDrawnPng(plot, 600, 300);
        File.Delete(plot);
    }
}
