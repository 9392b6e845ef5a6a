using Anvil.Training.Data;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Data;

public class TensorDatasetTests
{
    [Fact]
    public void LabelOutOfRangeIsRejectedWithTheValidRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TensorDataset(zeros(3, 1, 2, 2), tensor(new long[] { 0, 1, 5 }), ["a", "b", "c"]));
        Assert.Contains("Label 5 is out of range", error.Message);
        Assert.Contains("[0, 2]", error.Message);
    }

    [Fact]
    public void SubsetCopiesTheSelectedRows()
    {
        using var data = new TensorDataset(arange(4f).reshape(4, 1), tensor(new long[] { 0, 1, 0, 1 }), ["a", "b"]);
        using var subset = data.Subset(tensor(new long[] { 3, 1 }));
        Assert.Equal(new[] { 3f, 1f }, subset.Features.reshape(-1).data<float>().ToArray());
        Assert.Equal(2, subset.Count);
    }

    [Fact]
    public void TokenIdsAreHeldAsInt64AndSubsetKeepsThem()
    {
        using var data = new TensorDataset(tensor(new long[,] { { 5, 9, 0 }, { 7, 0, 0 }, { 3, 4, 2 } }), tensor(new long[] { 0, 1, 0 }), ["ham", "spam"]);
        using var subset = data.Subset(tensor(new long[] { 2, 1 }));

        Assert.True(subset.IsTokens);
        Assert.Equal(new long[] { 3, 4, 2, 7, 0, 0 }, subset.Features.reshape(-1).data<long>().ToArray());
    }

    [Fact]
    public void Int64FeaturesMustBeTokenRows()
    {
        var error = Assert.Throws<ArgumentException>(() => new TensorDataset(zeros([2, 1, 3], ScalarType.Int64), tensor(new long[] { 0, 1 }), ["a", "b"]));

        Assert.Contains("(N, T) int64 token ids", error.Message);
    }
}
