namespace Anvil.Training.Metrics;

/// <summary>What <see cref="Evaluator.Evaluate"/> measured on one data set.</summary>
/// <param name="Accuracy">Fraction classified correctly.</param>
/// <param name="Loss">Mean cross-entropy of the (averaged, under test-time augmentation) probabilities.</param>
/// <param name="ConfusionMatrix">Counts with per-class precision, recall and F1.</param>
/// <param name="Roc">One-vs-rest ROC curves and AUC.</param>
/// <param name="Count">Number of samples evaluated.</param>
public sealed record EvaluationReport(double Accuracy, double Loss, ConfusionMatrixResult ConfusionMatrix, RocResult Roc, int Count)
{
    /// <summary>Per sample, in order: was the most probable class the label? (McNemar compares two models with it.)</summary>
    public IReadOnlyList<bool> Correct { get; init; } = [];

    /// <summary>Flat metrics for the run log and metrics.json, per-class ones keyed by class name.</summary>
    public IReadOnlyDictionary<string, double> ToMetrics(string prefix, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var metrics = new Dictionary<string, double>
        {
            [$"{prefix}_accuracy"] = Accuracy,
            [$"{prefix}_loss"] = Loss,
            [$"{prefix}_macro_precision"] = ConfusionMatrix.MacroPrecision,
            [$"{prefix}_macro_recall"] = ConfusionMatrix.MacroRecall,
            [$"{prefix}_macro_f1"] = ConfusionMatrix.MacroF1,
            [$"{prefix}_macro_auc"] = Roc.MacroAuc,
        };
        for (var c = 0; c < classNames.Count; c++)
        {
            metrics[$"{prefix}_f1/{classNames[c]}"] = ConfusionMatrix.Classes[c].F1;
            metrics[$"{prefix}_auc/{classNames[c]}"] = Roc.Classes[c].Auc;
        }
        return metrics;
    }
}
