using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Transfer;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Transfer;

public class TransferDataTests
{
    [Fact]
    public void GreyImagesBecomeRgbAtTheBackbonesSizeAndOnlyTheTrainingSplitIsCut()
    {
        using var source = new SourceData(TinyData.Images(20), TinyData.Images(12, seed: 4), 1 / 255.0, null);
        var firstLabels = source.Train.Targets[..5].data<long>().ToArray();

        using var converted = TransferData.Convert(source, new TransferOptions { ImageSize = 32, TrainImages = 5 });

        Assert.Equal(new long[] { 5, 3, 32, 32 }, converted.Train.Features.shape);
        Assert.Equal(new long[] { 12, 3, 32, 32 }, converted.Test.Features.shape);
        Assert.Equal(firstLabels, converted.Train.Targets.data<long>().ToArray());
        var planes = converted.Train.Features.unbind(1);
        Assert.True(planes[0].allclose(planes[1], 0, 0) && planes[1].allclose(planes[2], 0, 0), "a grey image's R, G and B differ");
        Assert.Equal(1 / 255.0, converted.Scale);
    }

    [Fact]
    public void BilinearResizeKeepsAConstantImageConstant()
    {
        using var data = new TensorDataset(full([2, 1, 8, 8], 0.25f), tensor(new long[] { 0, 1 }), ["a", "b"]);

        using var rgb = TransferData.ToRgb(data, 40);

        Assert.True(rgb.Features.sub(0.25f).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void FeatureVectorsAreRefusedWithOneLine()
    {
        var source = new SourceData(new TensorDataset(rand(10, 4), zeros(10, ScalarType.Int64), ["a", "b"]), new TensorDataset(rand(4, 4), zeros(4, ScalarType.Int64), ["a", "b"]), 1, null);

        var error = Assert.Throws<ArgumentException>(() => TransferData.Convert(source, new TransferOptions()));

        Assert.Contains("not labelled images", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void PretrainedWeightsOfAnotherShapeAreRefusedNamingTheKey()
    {
        manual_seed(1);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        var weights = new PretrainedWeights("test", "tiny-cnn", 1, new Dictionary<string, PretrainedTensor>
        {
            ["layers.00_conv2d.0.weight"] = new([8, 1, 3, 3], new float[72]),
        }, new PreprocessingSpec { Mean = [0f], Std = [1f] });

        var error = Assert.Throws<ArgumentException>(() => weights.LoadInto(model));

        Assert.Contains("'layers.00_conv2d.0.weight' of 'test' has shape [8, 1, 3, 3] but model 'tiny-cnn' has [4, 1, 3, 3]", error.Message);
    }
}
