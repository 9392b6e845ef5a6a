using Anvil.Training.Data.Text;

namespace Anvil.Training.Tests.Data.Text;

public sealed class GroupKFoldTests
{
    // 300 texts in groups of 3 near-copies; one text in three is spam.
    private static readonly List<TextDocument> Documents =
        [.. Enumerable.Range(0, 300).Select(i => new TextDocument($"text {i}", i / 3 % 3 == 0 ? 1 : 0, $"group {i / 3}", $"{i}"))];

    [Fact]
    public void EveryTextIsHeldOutOnceAndNoGroupCrossesAFold()
    {
        var folds = new GroupKFold(k: 4, seed: 5).Split(Documents);

        Assert.Equal(4, folds.Count);
        Assert.Equal(Documents.Select(d => d.Source).Order(), folds.SelectMany(f => f.HeldOut).Select(d => d.Source).Order());
        Assert.All(folds, f => Assert.Empty(f.Train.Select(d => d.Group).Intersect(f.HeldOut.Select(d => d.Group))));
        Assert.All(folds, f => Assert.Equal(300, f.Train.Count + f.HeldOut.Count));
    }

    [Fact]
    public void FoldsKeepEachClasssShare()
    {
        var folds = new GroupKFold(k: 4, seed: 5).Split(Documents);

        // 100 spam texts in 34 groups of 3: 8 or 9 groups per fold
        Assert.All(folds, f => Assert.InRange(f.HeldOut.Count(d => d.Label == 1), 24, 27));
        Assert.All(folds, f => Assert.InRange(f.HeldOut.Count, 72, 78));
    }

    [Fact]
    public void SameSeedSameFoldsOtherSeedOtherFolds()
    {
        string[] HeldOut(int seed) => [.. new GroupKFold(3, seed).Split(Documents)[0].HeldOut.Select(d => d.Source)];

        Assert.Equal(HeldOut(1), HeldOut(1));
        Assert.NotEqual(HeldOut(1), HeldOut(2));
    }

    [Fact]
    public void FewerGroupsThanFoldsIsAnErrorNamingTheFix()
    {
        var documents = Documents.Take(6).ToList(); // 2 groups

        var error = Assert.Throws<ArgumentException>(() => new GroupKFold(3, seed: 1).Split(documents));

        Assert.Contains("Use fewer --folds or more data", error.Message);
    }
}
