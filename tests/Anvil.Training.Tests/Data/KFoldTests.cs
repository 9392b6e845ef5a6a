using Anvil.Training.Data;

namespace Anvil.Training.Tests.Data;

public class KFoldTests
{
    private static readonly long[] Labels = [.. Enumerable.Range(0, 23).Select(i => (long)(i % 3))];

    [Fact]
    public void EveryIndexIsInExactlyOneValidationFold()
    {
        var folds = new KFold(k: 5, seed: 11).FoldIndices(Labels);

        Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), folds.SelectMany(f => f.Validation).Order());
        Assert.All(folds, f => Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), f.Train.Concat(f.Validation).Order()));
    }

    [Fact]
    public void FoldsAreBalancedAndStratified()
    {
        var folds = new KFold(k: 4, seed: 11).FoldIndices(Labels);

        Assert.All(folds, f => Assert.InRange(f.Validation.Length, 5, 6));
        Assert.All(folds, f => Assert.All(new[] { 0L, 1L, 2L }, c => Assert.InRange(f.Validation.Count(i => Labels[i] == c), 1, 2)));
    }

    [Fact]
    public void FoldTensorsCoverEveryIndexOnceAsValidation()
    {
        var seen = new List<long>();
        foreach (var (train, validation) in new KFold(k: 3, seed: 2).Folds(10))
        {
            using (train)
            using (validation)
            {
                Assert.Equal(10, train.shape[0] + validation.shape[0]);
                seen.AddRange(validation.data<long>().ToArray());
            }
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Order());
    }

    [Fact]
    public void FoldsOverALabelTensorMatchTheStratifiedIndices()
    {
        using var labels = TorchSharp.torch.tensor(Labels);
        var expected = new KFold(k: 3, seed: 5).FoldIndices(Labels);

        var f = 0;
        foreach (var (train, validation) in new KFold(k: 3, seed: 5).Folds(labels))
        {
            using (train)
            using (validation)
                Assert.Equal(expected[f++].Validation, validation.data<long>().ToArray());
        }
        Assert.Equal(3, f);
    }

    [Fact]
    public void SameSeedGivesTheSameFolds()
    {
        var first = new KFold(5, seed: 3).FoldIndices(Labels).Select(f => f.Validation);
        var second = new KFold(5, seed: 3).FoldIndices(Labels).Select(f => f.Validation);

        Assert.Equal(first, second);
    }

    [Fact]
    public void FewerThanTwoFoldsAreRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new KFold(k: 1, seed: 0));

        Assert.Contains("k >= 2", error.Message);
    }

    [Fact]
    public void FewerSamplesThanFoldsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new KFold(k: 5, seed: 0).FoldIndices([0, 1, 0]));

        Assert.Contains("needs at least 5 samples, got 3", error.Message);
    }
}
