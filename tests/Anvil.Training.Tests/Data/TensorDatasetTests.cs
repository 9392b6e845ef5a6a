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
}
