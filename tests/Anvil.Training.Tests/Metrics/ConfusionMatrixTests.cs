using Anvil.Training.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Metrics;

public class ConfusionMatrixTests
{
    // Hand-computed 3-class example, confirmed with scikit-learn 1.2.1 (Debian python3-sklearn):
    // confusion_matrix / precision_recall_fscore_support(y_true, y_pred, zero_division=0).
    private static readonly long[] s_targets = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
    private static readonly long[] s_predicted = [0, 0, 1, 1, 2, 1, 2, 2, 0, 1];

    private static ConfusionMatrixResult ComputeExample()
    {
        var matrix = new ConfusionMatrix(3);
        // Two batches of one-hot scores: argmax gives back s_predicted.
        foreach (var (start, length) in new[] { (0, 4), (4, 6) })
        {
            var predicted = tensor(s_predicted.AsSpan(start, length).ToArray());
            var targets = tensor(s_targets.AsSpan(start, length).ToArray());
            matrix.Update(nn.functional.one_hot(predicted, 3).to(float32), targets); // (n, 3), (n)
        }
        return matrix.Compute();
    }

    [Fact]
    public void CountsMatchTheHandComputedMatrix()
    {
        var result = ComputeExample();
        Assert.Equal(new long[,] { { 2, 1, 0 }, { 0, 2, 1 }, { 1, 1, 2 } }, result.Counts);
        Assert.Equal(10, result.Total);
        Assert.Equal(0.6, result.Accuracy, 12);
    }

    [Fact]
    public void PrecisionRecallF1AndSupportMatchTheHandComputedReport()
    {
        var result = ComputeExample();
        // Column sums (predicted) 3, 4, 3; row sums (support) 3, 3, 4; diagonal 2, 2, 2.
        double[] precision = [2.0 / 3, 2.0 / 4, 2.0 / 3], recall = [2.0 / 3, 2.0 / 3, 2.0 / 4], f1 = [2.0 / 3, 4.0 / 7, 4.0 / 7];
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(precision[c], result.Classes[c].Precision, 12);
            Assert.Equal(recall[c], result.Classes[c].Recall, 12);
            Assert.Equal(f1[c], result.Classes[c].F1, 12);
        }
        Assert.Equal(new long[] { 3, 3, 4 }, result.Classes.Select(c => c.Support));
        Assert.Equal(11.0 / 18, result.MacroPrecision, 12);
        Assert.Equal(11.0 / 18, result.MacroRecall, 12);
        Assert.Equal(38.0 / 63, result.MacroF1, 12);
    }

    [Fact]
    public void ClassNeverPredictedOrPresentScoresZeroNotNaN()
    {
        // Class 2 has no samples and is never predicted: every ratio is 0/0 -> 0 (zero_division=0).
        var result = new ConfusionMatrixResult(new long[,] { { 3, 1, 0 }, { 0, 2, 0 }, { 0, 0, 0 } });
        Assert.Equal(new ClassScores(0, 0, 0, 0), result.Classes[2]);
        Assert.Equal((3.0 / 3 + 2.0 / 3 + 0) / 3, result.MacroPrecision, 12); // column sums 3, 3, 0
    }

    [Fact]
    public void ResetEmptiesTheMatrix()
    {
        var matrix = new ConfusionMatrix(2);
        matrix.Update(tensor(new float[,] { { 1f, 0f } }), tensor(new long[] { 1 }));
        matrix.Reset();
        Assert.Equal(0, matrix.Compute().Total);
        Assert.True(double.IsNaN(matrix.Compute().Accuracy));
    }

    [Fact]
    public void ComputedResultIsASnapshotThatLaterUpdatesDoNotChange()
    {
        var matrix = new ConfusionMatrix(2);
        matrix.Update(tensor(new float[,] { { 1f, 0f } }), tensor(new long[] { 0 }));
        var first = matrix.Compute();
        matrix.Update(tensor(new float[,] { { 1f, 0f } }), tensor(new long[] { 1 }));
        Assert.Equal(1, first.Total);
        Assert.Equal(2, matrix.Compute().Total);
    }

    [Fact]
    public void TargetOutsideTheClassCountIsRejectedWithTheValidRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new ConfusionMatrix(3).Update(zeros(2, 3), tensor(new long[] { 0, 3 })));
        Assert.Contains("[0, 2] for 3 classes", error.Message);
    }

    [Fact]
    public void PredictionsWithAnotherClassCountAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ConfusionMatrix(3).Update(zeros(2, 4), tensor(new long[] { 0, 1 })));
        Assert.Contains("4 columns but the metric was built for 3 classes", error.Message);
    }
}
