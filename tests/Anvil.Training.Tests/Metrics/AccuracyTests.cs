using Anvil.Training.Metrics;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Metrics;

public class AccuracyTests
{
    [Fact]
    public void AccuracyAccumulatesCorrectArgmaxOverSeveralBatches()
    {
        var accuracy = new Accuracy();
        // Batch 1: argmax [1, 0, 1] vs [1, 0, 0] -> 2 of 3 correct.
        accuracy.Update(tensor(new float[,] { { 0.1f, 0.9f }, { 2f, -1f }, { 0f, 3f } }), tensor(new long[] { 1, 0, 0 }));
        // Batch 2: argmax [2] vs [2] -> 1 of 1 correct (a different class count is fine for accuracy).
        accuracy.Update(tensor(new float[,] { { 0f, 1f, 5f } }), tensor(new long[] { 2 }));
        Assert.Equal(3.0 / 4, accuracy.Compute(), 12);
    }

    [Fact]
    public void ResetForgetsEveryBatch()
    {
        var accuracy = new Accuracy();
        accuracy.Update(tensor(new float[,] { { 1f, 0f } }), tensor(new long[] { 1 }));
        accuracy.Reset();
        accuracy.Update(tensor(new float[,] { { 1f, 0f } }), tensor(new long[] { 0 }));
        Assert.Equal(1.0, accuracy.Compute());
    }

    [Fact]
    public void AccuracyOfNoSamplesIsNaN() => Assert.True(double.IsNaN(new Accuracy().Compute()));

    [Fact]
    public void TargetsOfAnotherLengthAreRejectedWithBothLengths()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Accuracy().Update(zeros(3, 2), tensor(new long[] { 0, 1 })));
        Assert.Contains("3 rows but targets hold 2", error.Message);
    }

    [Fact]
    public void FloatTargetsAreRejectedWithTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => new Accuracy().Update(zeros(2, 2), zeros(2)));
        Assert.Contains("to(int64)", error.Message);
    }
}
