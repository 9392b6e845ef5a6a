namespace Anvil.Training.Metrics;

/// <summary>
/// The headline figures of a two-class model, for the positive class: the second class name (e.g. "spam" of
/// ["ham", "spam"]), as scikit-learn's <c>pos_label=1</c>. They repeat <c>{prefix}_auc/{class}</c> and
/// <c>{prefix}_f1/{class}</c> under short names a reader and a gate can look for.
/// </summary>
/// <example>
/// <code>var figures = BinaryFigures.Of(report, "test");   // test_auc, test_f1</code>
/// </example>
public static class BinaryFigures
{
    /// <summary>The positive class's index.</summary>
    public const int Positive = 1;

    /// <summary><c>{prefix}_auc</c> (ROC AUC of the positive class's probability) and <c>{prefix}_f1</c>.</summary>
    public static Dictionary<string, double> Of(EvaluationReport report, string prefix)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ConfusionMatrix.ClassCount != 2)
            throw new ArgumentException($"Binary figures need 2 classes, the report has {report.ConfusionMatrix.ClassCount}.", nameof(report));
        return new Dictionary<string, double>
        {
            [$"{prefix}_auc"] = report.Roc.Classes[Positive].Auc,
            [$"{prefix}_f1"] = report.ConfusionMatrix.Classes[Positive].F1,
        };
    }
}
