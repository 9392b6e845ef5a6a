using Anvil.Training.Data;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data;

public class DataSplitTests
{
    private static readonly long[] Labels = LoadSampleLabels();

    [Fact]
    public void SameSeedGivesTheSameSplit()
    {
        Assert.Equal(DataSplit.SplitIndices(Labels, 0.2, seed: 7).Validation, DataSplit.SplitIndices(Labels, 0.2, seed: 7).Validation);
    }

    [Fact]
    public void DifferentSeedGivesADifferentSplit()
    {
        Assert.NotEqual(DataSplit.SplitIndices(Labels, 0.2, seed: 7).Validation, DataSplit.SplitIndices(Labels, 0.2, seed: 8).Validation);
    }

    [Fact]
    public void PartsAreDisjointAndCoverEveryRowWithTheRequestedSize()
    {
        var (train, validation) = DataSplit.SplitIndices(Labels, 0.2, seed: 1);

        Assert.Equal(102, validation.Length); // round(512 × 0.2)
        Assert.Equal(Enumerable.Range(0, 512).Select(i => (long)i), train.Concat(validation).Order());
    }

    [Fact]
    public void SplitIsStratifiedByClass()
    {
        var (_, validation) = DataSplit.SplitIndices(Labels, 0.25, seed: 1);

        for (var c = 0; c < 10; c++)
        {
            var expected = TestFiles.SampleLabelHistogram[c] * 0.25;
            Assert.InRange(validation.Count(i => Labels[i] == c), Math.Floor(expected), Math.Ceiling(expected));
        }
    }

    [Fact]
    public void SplitOfADatasetCopiesTheRowsOfEachPart()
    {
        using var data = IdxReader.ReadDataset(TestFiles.SampleImages, TestFiles.SampleLabels, FashionMnist.ClassNames);

        var (train, validation) = DataSplit.Split(data, 0.1, seed: 3);
        using (train)
        using (validation)
        {
            Assert.Equal(461, train.Count);
            Assert.Equal(51, validation.Count);
            Assert.Equal(new long[] { 1, 28, 28 }, validation.SampleShape);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void ValidationFractionOutsideZeroToOneIsRejected(double fraction)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.SplitIndices(Labels, fraction, seed: 1));

        Assert.Contains("strictly between 0 and 1", error.Message);
    }

    private static long[] LoadSampleLabels()
    {
        using var labels = IdxReader.ReadLabels(TestFiles.SampleLabels);
        return labels.data<long>().ToArray();
    }
}
