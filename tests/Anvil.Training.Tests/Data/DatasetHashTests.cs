using Anvil.Training.Data;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data;

public class DatasetHashTests
{
    [Fact]
    public void SameDataGivesTheSameHash()
    {
        using var first = Sample();
        using var second = Sample();

        var hash = DatasetHash.Compute(first);

        Assert.Equal(hash, DatasetHash.Compute(second));
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void OneChangedPixelChangesTheHash()
    {
        using var data = Sample();
        var before = DatasetHash.Compute(data);

        data.Features[100, 0, 14, 14] = data.Features[100, 0, 14, 14] + 1f / 255;

        Assert.NotEqual(before, DatasetHash.Compute(data));
    }

    [Fact]
    public void ClassNamesArePartOfTheHash()
    {
        using var data = Sample();
        using var renamed = new TensorDataset(data.Features.clone(), data.Labels.clone(), [.. FashionMnist.ClassNames.Select(n => n.ToUpperInvariant())]);

        Assert.NotEqual(DatasetHash.Compute(data), DatasetHash.Compute(renamed));
    }

    private static TensorDataset Sample() =>
        IdxReader.ReadDataset(TestFiles.SampleImages, TestFiles.SampleLabels, FashionMnist.ClassNames);
}
