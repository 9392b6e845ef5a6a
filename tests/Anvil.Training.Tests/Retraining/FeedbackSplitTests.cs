using Anvil.Training.Retraining;

namespace Anvil.Training.Tests.Retraining;

public sealed class FeedbackSplitTests
{
    [Fact]
    public void TheSplitIsStratifiedSeededAndDisjoint()
    {
        long[] labels = [.. Enumerable.Range(0, 40).Select(i => (long)(i % 4))];

        var split = FeedbackSplit.Of(labels, 0.25, seed: 7);

        Assert.Equal(10, split.HeldOut.Count);
        Assert.Equal(Enumerable.Range(0, 40), split.Train.Concat(split.HeldOut).Order());
        Assert.All(Enumerable.Range(0, 4), c => Assert.InRange(split.HeldOut.Count(i => labels[i] == c), 2, 3)); // 2.5 each
        Assert.Equal(split.HeldOut, FeedbackSplit.Of(labels, 0.25, seed: 7).HeldOut);
        Assert.NotEqual(split.HeldOut, FeedbackSplit.Of(labels, 0.25, seed: 8).HeldOut);
    }

    [Fact]
    public void TooLittleFeedbackOrABadFractionIsRefusedWithTheFix()
    {
        Assert.Contains("retraining needs at least 2", Assert.Throws<ArgumentException>(() => FeedbackSplit.Of([1], 0.25, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("holds out 0", Assert.Throws<ArgumentException>(() => FeedbackSplit.Of([1, 2], 0.1, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("strictly between 0 and 1", Assert.Throws<ArgumentException>(() => FeedbackSplit.Of([1, 2], 1.5, 0)).Message, StringComparison.Ordinal);
    }
}
