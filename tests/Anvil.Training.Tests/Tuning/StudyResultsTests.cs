using Anvil.Training.Tests.Plots;
using Anvil.Training.Tuning;

namespace Anvil.Training.Tests.Tuning;

public class StudyResultsTests
{
    private static readonly StudyDefinition Study = StudyDefinition.Parse("""
        {
          "name": "s", "direction": "minimize", "metric": "val_loss",
          "recipe": { "validation_fraction": 0.1 },
          "space": {
            "learning_rate": { "type": "float", "low": 1e-4, "high": 1, "log": true },
            "optimizer": { "type": "categorical", "choices": ["adam", "sgd"] }
          }
        }
        """);

    private static TrialRecord Trial(int number, TrialState state, double? value, double learningRate, int optimizer, string? run = null) =>
        new(number, new Dictionary<string, double> { ["learning_rate"] = learningRate, ["optimizer"] = optimizer }, state, value,
            new Dictionary<int, double> { [1] = value ?? 2.0, [2] = value ?? 2.0 }) { RunId = run };

    // The loss is set by the learning rate alone (0.1 per order of magnitude); the optimizer alternates and adds nothing.
    private static readonly TrialRecord[] Trials = Enumerable.Range(0, 12)
        .Select(i => Trial(i, TrialState.Complete, 0.5 + 0.1 * i, Math.Pow(10, -i / 3.0), i % 2, $"run-{i}"))
        .Append(Trial(12, TrialState.Pruned, null, 0.5, 0, "run-12"))
        .Append(Trial(13, TrialState.Running, null, 0.5, 1))
        .ToArray();

    [Fact]
    public void TheSummaryNamesTheBestCompleteTrialAndCountsTheRest()
    {
        var summary = StudySummary.From(Study, Trials, runId => runId == "run-12" ? (1.5, 1) : (10, 4));

        Assert.Equal((0.5, 0, "run-0"), (summary.BestValue, summary.BestTrial, summary.BestRunId));
        Assert.Equal((12, 1, 0, 1), (summary.TrialsComplete, summary.TrialsPruned, summary.TrialsFailed, summary.TrialsRunning));
        Assert.Equal(12 * 10 + 1.5, summary.TrainSecondsTotal);
        Assert.Equal(12 * 4 + 1, summary.EpochsTrainedTotal);
    }

    [Fact]
    public void ImportanceRanksTheParameterThatDecidesTheValueFirst()
    {
        var importances = ParameterImportance.Compute(Study.SearchSpace(), Trials);

        Assert.Equal("learning_rate", importances[0].Name);
        Assert.True(importances[0].Share > 0.9, $"learning_rate explains {importances[0].Share:P0}");
        Assert.True(importances[1].Share < 0.05, $"optimizer explains {importances[1].Share:P0}");
        Assert.Empty(ParameterImportance.Compute(Study.SearchSpace(), Trials.Take(2).ToArray()));
    }

    [Fact]
    public void PlotsAreDrawnForHistoryIntermediateValuesAndImportances()
    {
        var directory = Directory.CreateTempSubdirectory("anvil-study-plots-").FullName;
        try
        {
            var files = StudyPlots.Save(Study, Trials, directory);

            Assert.Equal(["optimization_history.png", "intermediate_values.png", "parameter_importances.png"], files.Select(Path.GetFileName));
            foreach (var file in files)
                PngAssert.IsDrawnPng(file, 800, 400);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
