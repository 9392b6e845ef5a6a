using System.Text.Json;
using Anvil.Training.Metrics;

namespace Anvil.Training.Runs;

/// <summary>
/// A test evaluation's confusion matrix and ROC curves as one small JSON document (format
/// <c>anvil.evaluation/1</c>), recorded with the run so any server can draw them: <c>classes</c>,
/// <c>confusion</c> (rows are true classes, columns predicted) and <c>roc</c> (per class: <c>auc</c>, and
/// <c>fpr</c>/<c>tpr</c> thinned to at most <see cref="MostRocPoints"/> points, first and last kept, to 4 decimals).
/// </summary>
/// <example>
/// <code>recorder.LogEvaluation(runId, EvaluationDocument.ToJson(report, data.Test.ClassNames));</code>
/// </example>
public static class EvaluationDocument
{
    public const string Format = "anvil.evaluation/1";

    /// <summary>Most points kept per ROC curve: enough to draw it, small enough to store with every run.</summary>
    public const int MostRocPoints = 101;

    public static string ToJson(EvaluationReport report, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(classNames);
        var matrix = report.ConfusionMatrix;
        return JsonSerializer.Serialize(new
        {
            format = Format,
            classes = classNames,
            confusion = Enumerable.Range(0, matrix.ClassCount).Select(t => Enumerable.Range(0, matrix.ClassCount).Select(p => matrix[t, p]).ToArray()).ToArray(),
            roc = report.Roc.Classes.Select(curve => new
            {
                auc = double.IsFinite(curve.Auc) ? curve.Auc : (double?)null,
                fpr = Thin(curve.Fpr),
                tpr = Thin(curve.Tpr),
            }),
        });
    }

    // Rates to 4 decimals: a tenth of a pixel on any chart, and a third of the document's size.
    private static double[] Thin(double[] values) => [.. (values.Length <= MostRocPoints
            ? values
            : Enumerable.Range(0, MostRocPoints).Select(i => values[(int)Math.Round(i * (values.Length - 1) / (double)(MostRocPoints - 1))]))
        .Select(value => Math.Round(value, 4))];
}
