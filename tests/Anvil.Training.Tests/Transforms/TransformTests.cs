using Anvil.Training.Tests.Support;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Transforms;

public class TransformTests
{
    [Fact]
    public void FlipWithProbabilityOneMirrorsEveryImage()
    {
        using var generator = new Generator(1);
        using var batch = arange(2 * 3 * 4, ScalarType.Float32).view(2, 1, 3, 4);

        using var flipped = new HorizontalFlip(1.0).Apply(batch, generator);

        Assert.True(flipped.eq(batch.flip(3)).all().item<bool>());
    }

    [Fact]
    public void RandomCropShiftsEachImageByAtMostThePadding()
    {
        using var generator = new Generator(7);
        using var batch = zeros(32, 1, 9, 9);
        batch[.., .., 4, 4] = 1; // one bright pixel in the centre

        using var cropped = new RandomCrop(padding: 2).Apply(batch, generator);

        Assert.Equal(batch.shape, cropped.shape);
        var positions = Enumerable.Range(0, 32).Select(i => cropped[i, 0].argmax().item<long>()).ToArray();
        Assert.All(positions, p => Assert.InRange(Math.Abs(p / 9 - 4), 0, 2));
        Assert.All(positions, p => Assert.InRange(Math.Abs(p % 9 - 4), 0, 2));
        Assert.True(positions.Distinct().Count() > 5, "offsets should vary between images");
        Assert.Equal(32f, cropped.sum().item<float>()); // the pixel is never cropped away at ±2
    }

    [Fact]
    public void CutoutErasesOneSquareOfAtMostSizeSquaredPixelsInEveryChannelOfEachImage()
    {
        using var generator = new Generator(5);
        using var batch = ones(64, 3, 12, 12);

        using var erased = new RandomErasing(size: 4).Apply(batch, generator);

        Assert.Equal(batch.shape, erased.shape);
        Assert.True(batch.eq(1).all().item<bool>()); // the input is not modified
        using var zeroed = erased.eq(0);
        Assert.True(zeroed[.., 0].eq(zeroed[.., 1]).all().item<bool>() && zeroed[.., 0].eq(zeroed[.., 2]).all().item<bool>());
        var counts = Enumerable.Range(0, 64).Select(i => zeroed[i, 0].sum().item<long>()).ToArray();
        Assert.All(counts, c => Assert.InRange(c, 1, 16)); // a 4×4 square, clipped where it hangs over an edge
        Assert.Contains(16L, counts);
        Assert.True(Enumerable.Range(0, 64).Select(i => zeroed[i, 0].to_type(ScalarType.Int32).argmax().item<long>()).Distinct().Count() > 10, "squares should move between images");
    }

    [Fact]
    public void NormalizationUsesTheTrainingSplitStatisticsOnOtherSplits()
    {
        using var train = TinyData.Images(200);
        using var test = TinyData.Images(50, seed: 3);
        var normalization = Normalization.Fit(train);
        var mean = train.Features.mean().item<float>();
        var std = train.Features.std().item<float>();
        using var testBefore = test.Features.clone();

        normalization.ApplyInPlace(train);
        normalization.ApplyInPlace(test);

        Assert.Equal(mean, normalization.Mean[0], 4);
        Assert.Equal(std, normalization.Std[0], 4);
        Assert.Equal(0, train.Features.mean().item<float>(), 4);
        Assert.Equal(1, train.Features.std().item<float>(), 3);
        Assert.True(test.Features.allclose(testBefore.sub(mean).div(std), atol: 1e-5));
    }
}
