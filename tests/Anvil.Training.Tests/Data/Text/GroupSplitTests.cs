using Anvil.Training.Data.Text;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data.Text;

public sealed class GroupSplitTests
{
    [Fact]
    public void NoGroupCrossesTheSplit()
    {
        var documents = Enumerable.Range(0, 300).Select(i => new TextDocument($"text {i}", i % 2, $"group {i / 3}", "")).ToList();

        var (train, heldOut) = GroupSplit.Split(documents, 0.2, seed: 1);

        Assert.Empty(train.Select(d => d.Group).Intersect(heldOut.Select(d => d.Group)));
        Assert.Equal(300, train.Count + heldOut.Count);
        Assert.InRange(heldOut.Count, 54, 66);
    }

    [Fact]
    public void EachClassKeepsItsShareOnBothSides()
    {
        var documents = Enumerable.Range(0, 400).Select(i => new TextDocument("", i < 100 ? 1 : 0, $"g{i}", "")).ToList();

        var (_, heldOut) = GroupSplit.Split(documents, 0.25, seed: 7);

        Assert.Equal(25, heldOut.Count(d => d.Label == 1));
        Assert.Equal(75, heldOut.Count(d => d.Label == 0));
    }

    [Fact]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        var documents = SpamAssassinCorpus.Read(Path.Combine(TestFiles.Root, "spam-assassin")).Documents;

        var first = GroupSplit.Split(documents, 0.3, seed: 3).HeldOut.Select(d => d.Source);
        var again = GroupSplit.Split(documents, 0.3, seed: 3).HeldOut.Select(d => d.Source);
        var other = GroupSplit.Split(documents, 0.3, seed: 4).HeldOut.Select(d => d.Source);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void BothPartsMixTheClassesSoTheirFirstDocumentsHoldEvery()
    {
        // a corpus as read: every ham document first, then every spam document
        var documents = Enumerable.Range(0, 200).Select(i => new TextDocument($"text {i}", i < 150 ? 0 : 1, $"g{i}", "")).ToList();

        var (train, heldOut) = GroupSplit.Split(documents, 0.2, seed: 2);

        Assert.Equal([0, 1], train.Take(20).Select(d => d.Label).Distinct().Order());
        Assert.Equal([0, 1], heldOut.Take(20).Select(d => d.Label).Distinct().Order());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void FractionOutsideZeroToOneIsRefused(double fraction)
    {
        var documents = new[] { new TextDocument("a", 0, "a", ""), new TextDocument("b", 1, "b", "") };

        Assert.Throws<ArgumentOutOfRangeException>(() => GroupSplit.Split(documents, fraction, seed: 1));
    }
}
