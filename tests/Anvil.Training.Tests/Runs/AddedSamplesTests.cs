using Anvil.Training.Data;
using Anvil.Training.Runs;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Runs;

public sealed class AddedSamplesTests
{
    [Fact]
    public void AddedSamplesAreScaledLikeTheSourceAndAppendedAfterTheLimit()
    {
        var source = new SourceData(TinyData.Images(20, seed: 1), TinyData.Images(20, seed: 2), 0.5, null);
        using var raw = TinyData.Images(3, seed: 3);
        using var added = new AddedSamples(new TensorDataset(raw.Features.mul(2), raw.Labels.clone(), raw.ClassNames)); // raw units: 2 × the source's

        using var data = PreparedData.Load(source, new Recipe { ValidationFraction = 0 }, new TrainingLimits(8, null), preprocessing: null, added);

        Assert.Equal(11, data.Train.Count); // 8 after --limit, then 3 added
        Assert.Equal(8, data.Test.Count); // the test split is untouched
        var p = data.Preprocessing!;
        using var restored = data.Train.Features[8..].mul(p.Std[0]).add(p.Mean[0]); // undo the normalisation: back to source units
        Assert.True(allclose(restored, raw.Features, rtol: 1e-5, atol: 1e-5));
        Assert.Equal(raw.Labels.data<long>().ToArray(), data.Train.Labels[8..].data<long>().ToArray());
    }

    [Fact]
    public void TheHashNamesTheSamplesAndItsCombinationIsANewDatasetVersion()
    {
        using var a = new AddedSamples(TinyData.Images(4, seed: 1));
        using var same = new AddedSamples(TinyData.Images(4, seed: 1));
        using var other = new AddedSamples(TinyData.Images(4, seed: 2));

        Assert.Equal(a.Hash(), same.Hash());
        Assert.NotEqual(a.Hash(), other.Hash());
        Assert.Matches("^[0-9a-f]{64}$", a.CombinedHash("abc"));
        Assert.NotEqual(a.CombinedHash("abc"), a.CombinedHash("abd"));
    }

    [Fact]
    public void SamplesOfAnotherShapeOrOtherClassesAreRefused()
    {
        using var wrongClasses = new AddedSamples(new TensorDataset(zeros(2, 1, 8, 8), tensor(new long[] { 0, 1 }), ["cat", "dog"]));
        var error = Assert.Throws<ArgumentException>(() => PreparedData.Load(
            new SourceData(TinyData.Images(4), TinyData.Images(4), 1, null), new Recipe { ValidationFraction = 0 }, new TrainingLimits(null, null), null, wrongClasses));
        Assert.Contains("(cat, dog) are not the training data's (left, right)", error.Message, StringComparison.Ordinal);
        using var wrongShape = new AddedSamples(new TensorDataset(zeros(2, 1, 4, 4), tensor(new long[] { 0, 1 }), ["left", "right"]));
        Assert.Contains("[1, 4, 4]", Assert.Throws<ArgumentException>(() => PreparedData.Load(
            new SourceData(TinyData.Images(4), TinyData.Images(4), 1, null), new Recipe { ValidationFraction = 0 }, new TrainingLimits(null, null), null, wrongShape)).Message, StringComparison.Ordinal);
    }
}
