using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;

namespace Anvil.Training.Runs;

/// <summary>
/// Re-evaluates a trained run on its test split. The figures go to the run's <c>evaluation.json</c>
/// and <c>evaluation_*.png</c>, never over <c>metrics.json</c> or the recorded metrics, which stay
/// what training measured (docs/decisions/0007-run-pipeline.md).
/// </summary>
/// <example>
/// <code>var result = RunEvaluation.Evaluate(recorder, "01a2b3c4d5", testTimeAugmentation: null, Console.Error, interactive: true);</code>
/// </example>
public static class RunEvaluation
{
    /// <summary>What one re-evaluation measured and where it was written.</summary>
    /// <param name="RunId">The run evaluated.</param>
    /// <param name="Test">Single-view figures and, when asked, test-time-augmentation figures; null for a forecaster, whose figures are all in <paramref name="Metrics"/>.</param>
    /// <param name="ClassNames">Class names indexed by label, or a forecaster's target names.</param>
    /// <param name="Metrics">The flat named metrics written to evaluation.json.</param>
    /// <param name="Artifacts">The run's artifacts, for the paths of the plots.</param>
    public sealed record Result(string RunId, TestMetrics? Test, IReadOnlyList<string> ClassNames, IReadOnlyDictionary<string, double> Metrics, RunArtifacts Artifacts);

    /// <param name="testTimeAugmentation">Also evaluate with test-time augmentation; null follows the run's recipe.</param>
    public static Result Evaluate(IRunRecorder recorder, string runIdOrPrefix, bool? testTimeAugmentation, TextWriter progress, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var run = recorder.GetRun(runIdOrPrefix);
        var artifacts = new RunArtifacts(run.ArtifactsDirectory);
        var recipe = artifacts.LoadRecipe();
        var spec = artifacts.LoadSpec();
        using var data = RunPipeline.LoadAgain(run, artifacts, recipe, spec, progress);
        using var model = artifacts.LoadModel(spec);
        if (spec.Head == TaskKind.Regression)
        {
            var forecast = ForecastEvaluation.Run(model, data, artifacts.ForecastPng(evaluation: true), progress, interactive);
            artifacts.SaveMetrics(forecast, evaluation: true);
            return new Result(run.Id, null, data.Test.TargetNames, forecast, artifacts);
        }
        var test = TestEvaluation.Run(model, data.Test, (testTimeAugmentation ?? recipe.TestTimeAugmentation) && data.IsImages, progress, interactive);
        var metrics = test.ToMetrics(data.Test.ClassNames);
        if (data.Tokenizer is not null)
        {
            foreach (var (name, value) in BinaryFigures.Of(test.SingleView, "test"))
                metrics[name] = value;
        }
        artifacts.SaveEvaluation(test.SingleView, data.Test.ClassNames, metrics, evaluation: true);
        return new Result(run.Id, test, data.Test.ClassNames, metrics, artifacts);
    }
}
