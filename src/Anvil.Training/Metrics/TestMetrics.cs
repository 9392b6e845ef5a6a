namespace Anvil.Training.Metrics;

/// <summary>
/// A model's test figures. <see cref="SingleView"/> is the model as served (the ONNX graph sees
/// one view per input) and is recorded as <c>test_*</c>; <see cref="Augmented"/> is the
/// test-time-augmentation figure, recorded apart as <c>test_accuracy_tta</c> and <c>test_loss_tta</c>.
/// </summary>
/// <param name="SingleView">One view per sample.</param>
/// <param name="Augmented">Ten views averaged, or null when test-time augmentation is off.</param>
/// <example>
/// <code>var metrics = new TestMetrics(single, augmented).ToMetrics(test.ClassNames);   // metrics["test_accuracy"]</code>
/// </example>
public sealed record TestMetrics(EvaluationReport SingleView, EvaluationReport? Augmented)
{
    /// <summary>Flat named metrics for the run log and the artifacts.</summary>
    public Dictionary<string, double> ToMetrics(IReadOnlyList<string> classNames)
    {
        var metrics = new Dictionary<string, double>(SingleView.ToMetrics("test", classNames));
        if (Augmented is not null)
        {
            metrics["test_accuracy_tta"] = Augmented.Accuracy;
            metrics["test_loss_tta"] = Augmented.Loss;
        }
        return metrics;
    }
}
