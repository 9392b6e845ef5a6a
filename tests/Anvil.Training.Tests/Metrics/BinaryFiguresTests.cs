using Anvil.Training.Metrics;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Metrics;

public class BinaryFiguresTests
{
    [Fact]
    public void AucAndF1AreThoseOfTheSecondClass()
    {
        // Spam probabilities 0.9, 0.4 (spam) and 0.6, 0.1 (ham). By hand: 3 of the 4 spam-ham pairs are ordered
        // right, AUC 0.75; at argmax one spam is caught, one missed and one ham flagged: precision = recall = F1 = 0.5.
        using var probabilities = tensor(new float[,] { { 0.1f, 0.9f }, { 0.6f, 0.4f }, { 0.4f, 0.6f }, { 0.9f, 0.1f } });
        using var labels = tensor(new long[] { 1, 1, 0, 0 });
        var confusion = new ConfusionMatrix(2);
        confusion.Update(probabilities, labels);
        var roc = new RocCurves(2, inputsAreProbabilities: true);
        roc.Update(probabilities, labels);
        var report = new EvaluationReport(0.5, 0, confusion.Compute(), roc.Compute(), 4);

        var figures = BinaryFigures.Of(report, "test");

        Assert.Equal(0.75, figures["test_auc"], 12);
        Assert.Equal(0.5, figures["test_f1"], 12);
    }
}
