using System.Text.Json;
using Anvil.Training.Metrics;
using Anvil.Training.Runs;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Runs;

/// <summary>The evaluation document a run records: the exact confusion counts and ROC curves thinned to a drawable size.</summary>
public class EvaluationDocumentTests
{
    [Fact]
    public void TheDocumentHoldsTheExactCountsAndThinsLongCurvesKeepingTheirEnds()
    {
        manual_seed(3);
        using var scores = randn(2000, 3);
        using var targets = randint(0, 3, 2000);
        var matrix = new ConfusionMatrix(3);
        var roc = new RocCurves(3);
        matrix.Update(scores, targets);
        roc.Update(scores, targets);
        var report = new EvaluationReport(0, 0, matrix.Compute(), roc.Compute(), 2000);

        using var json = JsonDocument.Parse(EvaluationDocument.ToJson(report, ["a", "b", "c"]));
        var root = json.RootElement;

        Assert.Equal("anvil.evaluation/1", root.GetProperty("format").GetString());
        Assert.Equal(["a", "b", "c"], root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        var counts = root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        for (var t = 0; t < 3; t++)
        {
            for (var p = 0; p < 3; p++)
                Assert.Equal(report.ConfusionMatrix[t, p], counts[t][p]);
        }

        Assert.Equal(2000, counts.Sum(r => r.Sum()));
        var first = root.GetProperty("roc")[0];
        var fpr = first.GetProperty("fpr").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var full = report.Roc.Classes[0];
        Assert.True(full.Fpr.Length > EvaluationDocument.MostRocPoints); // 2,000 random scores: a long curve
        Assert.Equal(EvaluationDocument.MostRocPoints, fpr.Length);
        Assert.Equal((full.Fpr[0], full.Fpr[^1]), (fpr[0], fpr[^1]));
        Assert.Equal(Math.Round(full.Fpr[(full.Fpr.Length - 1) / 2], 4), fpr[50], 1e-12); // the middle point, rounded
        Assert.Equal(full.Auc, first.GetProperty("auc").GetDouble());
    }
}
