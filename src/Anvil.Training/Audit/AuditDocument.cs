using System.Text.Json;

namespace Anvil.Training.Audit;

/// <summary>The audit report as JSON (a run's <c>audit.json</c>, the CLI's listing): classes by name, indexes into the training split.</summary>
public static class AuditDocument
{
    public static string ToJson(DataAuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var names = report.ClassNames;
        return JsonSerializer.Serialize(new
        {
            examples = report.Examples,
            out_of_fold_accuracy = report.OutOfFoldAccuracy,
            estimated_noise_rate = report.Labels.EstimatedNoiseRate,
            label_issues = report.Labels.Issues.Select(i => new
            {
                index = i.Index,
                given = names[i.GivenLabel],
                suggested = names[i.SuggestedLabel],
                given_probability = i.GivenLabelProbability,
                suggested_probability = i.SuggestedLabelProbability,
            }),
            confusions = report.Labels.Confusions().Select(c => new { given = names[c.Given], likely = names[c.Likely], count = c.Count }),
            near_duplicates = report.NearDuplicates.Select(d => new
            {
                first = d.First,
                second = d.Second,
                distance = d.Distance,
                labels_differ = d.LabelsDiffer,
            }),
            outliers = report.Outliers.Select(o => new { index = o.Index, score = o.Score, z = o.Z }),
        }, TrainingJson.Options);
    }
}
