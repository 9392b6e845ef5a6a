using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Metrics;

public class TestMetricsTests
{
    [Fact]
    public void SingleViewIsTheTestAccuracyAndAugmentationIsRecordedApart()
    {
        using var data = TinyData.Images(64);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        var single = Evaluator.Evaluate(model, data);
        var augmented = Evaluator.Evaluate(model, data, testTimeAugmentation: true);

        var metrics = new TestMetrics(single, augmented).ToMetrics(data.ClassNames);
        var withoutTta = new TestMetrics(single, null).ToMetrics(data.ClassNames);

        Assert.Equal(single.Accuracy, metrics["test_accuracy"]);
        Assert.Equal(augmented.Accuracy, metrics["test_accuracy_tta"]);
        Assert.Equal(augmented.Loss, metrics["test_loss_tta"]);
        Assert.False(withoutTta.ContainsKey("test_accuracy_tta"));
    }

    [Fact]
    public void EvaluatorReportsEveryBatchForProgress()
    {
        using var data = TinyData.Images(25);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        var reports = new List<(int Done, int Total)>();

        Evaluator.Evaluate(model, data, batchSize: 10, onBatch: (done, total) => reports.Add((done, total)));

        Assert.Equal([(1, 3), (2, 3), (3, 3)], reports);
    }
}
