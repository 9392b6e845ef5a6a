using System.Text.Json;
using Anvil.Dashboard.Charts;

namespace Anvil.Dashboard.Runs;

/// <summary>
/// A run's test evaluation as training recorded it in the registry (Anvil.Training's <c>EvaluationDocument</c>,
/// format <c>anvil.evaluation/1</c>): the confusion matrix and the ROC curves' points.
/// </summary>
public sealed record StoredEvaluation(IReadOnlyList<string> Classes, long[][] Confusion, IReadOnlyList<Series> Roc)
{
    private const string Format = "anvil.evaluation/1";

    /// <summary>The document, or null when it is not one this dashboard can draw (another format, or damaged).</summary>
    public static StoredEvaluation? Parse(string? document)
    {
        if (document is null)
            return null;
        try
        {
            using var json = JsonDocument.Parse(document);
            var root = json.RootElement;
            if (root.GetProperty("format").GetString() != Format)
                return null;
            var classes = root.GetProperty("classes").EnumerateArray().Select(c => c.GetString() ?? "").ToList();
            var confusion = root.GetProperty("confusion").EnumerateArray().Select(row => row.EnumerateArray().Select(cell => cell.GetInt64()).ToArray()).ToArray();
            var roc = root.GetProperty("roc").EnumerateArray().Select((curve, i) =>
            {
                var fpr = curve.GetProperty("fpr").EnumerateArray().Select(v => v.GetDouble()).ToList();
                var tpr = curve.GetProperty("tpr").EnumerateArray().Select(v => v.GetDouble()).ToList();
                var auc = curve.GetProperty("auc") is { ValueKind: JsonValueKind.Number } number ? ChartScale.Text(number.GetDouble()) : "n/a";
                return new Series($"{(i < classes.Count ? classes[i] : $"class {i}")} (AUC {auc})", [.. fpr.Zip(tpr)]);
            }).ToList();
            return confusion.Length == classes.Count && confusion.All(row => row.Length == classes.Count) ? new(classes, confusion, roc) : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
