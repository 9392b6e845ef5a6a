using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;

namespace Anvil.Training.Runs;

/// <summary>Evaluates a model on its test split as served (one view) and, when asked, with test-time augmentation too.</summary>
internal static class TestEvaluation
{
    public static TestMetrics Run(SpecModel model, TensorDataset test, bool testTimeAugmentation, TextWriter progress, bool interactive)
    {
        var single = Evaluate(model, test, augmented: false, new EvaluationProgress(progress, interactive, "single view"));
        var augmented = testTimeAugmentation
            ? Evaluate(model, test, augmented: true, new EvaluationProgress(progress, interactive, "10-view test-time augmentation"))
            : null;
        return new TestMetrics(single, augmented);
    }

    private static EvaluationReport Evaluate(SpecModel model, TensorDataset test, bool augmented, EvaluationProgress progress)
    {
        progress.Start(test.Count);
        return Evaluator.Evaluate(model, test, augmented, onBatch: progress.Report);
    }
}
