using Anvil.Training.Metrics;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Metrics;

public class RocCurvesTests
{
    [Fact]
    public void CurvesMatchScikitLearnRocCurveWithTiedScores()
    {
        // Expected values from scikit-learn 1.2.1 (Debian python3-sklearn):
        // roc_curve(y == c, P[:, c], drop_intermediate=False), roc_auc_score(y == c, P[:, c]) and
        // roc_auc_score(y, P, multi_class="ovr", average="macro"). Ties: 0.25 and 0.5 repeat within columns.
        var probabilities = tensor(new double[,]
        {
            { 0.6, 0.3, 0.1 }, { 0.5, 0.25, 0.25 }, { 0.3, 0.4, 0.3 }, { 0.2, 0.5, 0.3 },
            { 0.25, 0.25, 0.5 }, { 0.1, 0.8, 0.1 }, { 0.5, 0.2, 0.3 }, { 0.25, 0.25, 0.5 },
        }); // (8, 3)
        var roc = new RocCurves(3, inputsAreProbabilities: true);
        roc.Update(probabilities, tensor(new long[] { 0, 0, 0, 1, 1, 1, 2, 2 }));
        var result = roc.Compute();

        AssertCurve(result.Classes[0], [0, 0, 0.2, 0.2, 0.6, 0.8, 1], [0, 1 / 3.0, 2 / 3.0, 1, 1, 1, 1], [0.6, 0.5, 0.3, 0.25, 0.2, 0.1], 0.9);
        AssertCurve(result.Classes[1], [0, 0, 0, 0.2, 0.4, 0.8, 1], [0, 1 / 3.0, 2 / 3.0, 2 / 3.0, 2 / 3.0, 1, 1], [0.8, 0.5, 0.4, 0.3, 0.25, 0.2], 0.8);
        AssertCurve(result.Classes[2], [0, 1 / 6.0, 0.5, 2 / 3.0, 1], [0, 0.5, 1, 1, 1], [0.5, 0.3, 0.25, 0.1], 0.7916666666666667);
        Assert.Equal(0.8305555555555556, result.MacroAuc, 12);
    }

    [Fact]
    public void AucEqualsTheMannWhitneyProbabilityThatAPositiveOutscoresANegative()
    {
        // Logits drawn from {0, 1, 2} so many scores tie; a tie counts one half in the U statistic.
        manual_seed(7);
        var logits = randint(0, 3, [60, 3]).to(float64); // (60, 3)
        var targets = randint(0, 3, [60]); // (60) int64
        var roc = new RocCurves(3);
        roc.Update(logits[..25], targets[..25]);
        roc.Update(logits[25..], targets[25..]);
        var result = roc.Compute();

        var probabilities = logits.softmax(1).data<double>().ToArray(); // (60 * 3), row-major
        var labels = targets.data<long>().ToArray();
        for (var c = 0; c < 3; c++)
        {
            var scores = Enumerable.Range(0, 60).Select(i => probabilities[i * 3 + c]).ToArray();
            var positive = scores.Where((_, i) => labels[i] == c).ToArray();
            var negative = scores.Where((_, i) => labels[i] != c).ToArray();
            var u = positive.Sum(p => negative.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0.0));
            Assert.Equal(u / (positive.Length * negative.Length), result.Classes[c].Auc, 12);
        }
    }

    [Fact]
    public void LogitsAreTurnedIntoSoftmaxProbabilities()
    {
        var roc = new RocCurves(2);
        roc.Update(tensor(new double[,] { { 0, 0 }, { Math.Log(3), 0 } }), tensor(new long[] { 1, 0 })); // p(class 0) = 0.5, 0.75
        var thresholds = roc.Compute().Classes[0].Thresholds;
        Assert.Equal(double.PositiveInfinity, thresholds[0]);
        Assert.Equal(0.75, thresholds[1], 12);
        Assert.Equal(0.5, thresholds[2], 12);
    }

    [Fact]
    public void ClassWithoutPositivesHasNaNAucAndIsLeftOutOfTheMacroAverage()
    {
        var roc = new RocCurves(3, inputsAreProbabilities: true);
        // Class 2 never occurs. Class 0: positive 0.7 vs negatives 0.2, 0.8 -> 1/2.
        // Class 1: positives 0.7, 0.2 vs negative 0.2 -> (1 + 0.5) / 2 = 3/4.
        roc.Update(tensor(new double[,] { { 0.7, 0.2, 0.1 }, { 0.2, 0.7, 0.1 }, { 0.8, 0.2, 0.0 } }), tensor(new long[] { 0, 1, 1 }));
        var result = roc.Compute();
        Assert.True(double.IsNaN(result.Classes[2].Auc));
        Assert.Empty(result.Classes[2].Fpr);
        Assert.Equal(0.5, result.Classes[0].Auc, 12);
        Assert.Equal(0.75, result.Classes[1].Auc, 12);
        Assert.Equal(0.625, result.MacroAuc, 12);
    }

    [Fact]
    public void ResetForgetsEveryBatch()
    {
        var roc = new RocCurves(2, inputsAreProbabilities: true);
        roc.Update(tensor(new double[,] { { 0.9, 0.1 }, { 0.2, 0.8 } }), tensor(new long[] { 1, 0 }));
        roc.Reset();
        roc.Update(tensor(new double[,] { { 0.9, 0.1 }, { 0.2, 0.8 } }), tensor(new long[] { 0, 1 }));
        Assert.Equal(1.0, roc.Compute().MacroAuc, 12);
    }

    private static void AssertCurve(RocCurve curve, double[] fpr, double[] tpr, double[] finiteThresholds, double auc)
    {
        AssertClose(fpr, curve.Fpr);
        AssertClose(tpr, curve.Tpr);
        // scikit-learn ≥ 1.3 starts with +inf (1.2 printed max + 1); the finite thresholds are the same.
        Assert.Equal(double.PositiveInfinity, curve.Thresholds[0]);
        AssertClose(finiteThresholds, curve.Thresholds[1..]);
        Assert.Equal(auc, curve.Auc, 12);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 12);
    }
}
