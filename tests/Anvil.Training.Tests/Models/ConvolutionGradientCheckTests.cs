using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;

namespace Anvil.Training.Tests.Models;

/// <summary>Training through a convolution whose input gradient libtorch gets wrong here is refused; the safe kinds train.</summary>
public class ConvolutionGradientCheckTests
{
    private static ModelSpec Spec(int firstFilters, int secondFilters) => new()
    {
        Name = "probe",
        InputShape = [1, 8, 8],
        ClassNames = ["left", "right"],
        Layers =
        [
            new LayerSpec { Type = "conv2d", Filters = firstFilters, Kernel = 3, Padding = "same", Activation = "relu" },
            new LayerSpec { Type = "conv2d", Filters = secondFilters, Kernel = 3, Activation = "relu" },
            new LayerSpec { Type = "flatten" },
            new LayerSpec { Type = "dense" },
        ],
    };

    [Theory]
    [InlineData(4, 16)] // the first layer's input needs no gradient, so its count is free
    [InlineData(8, 32)]
    public void MultiplesOfSixteenBelowTheFirstLayerTrain(int first, int second)
    {
        using var model = ModelBuilder.Build(Spec(first, second));
        using var data = TinyData.Images(32);
        var result = new Trainer(model, new Recipe { Epochs = 1, BatchSize = 16, ValidationFraction = 0 }).Fit(data);
        Assert.Single(result.History);
    }

    [Fact]
    public void AnotherFilterCountBelowTheFirstLayerIsRefusedExactlyWhenThisMachineGetsItWrong()
    {
        using var model = ModelBuilder.Build(Spec(16, 8)); // building (and serving) it is fine: forward passes are right
        using var data = TinyData.Images(32);
        var trainer = new Trainer(model, new Recipe { Epochs = 1, BatchSize = 16, ValidationFraction = 0 });
        if (ConvolutionGradientCheck.MachineIsAffected)
        {
            var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
            Assert.Contains("Layer 1 (conv2d) has 8 filters", error.Message, StringComparison.Ordinal);
            Assert.Contains("multiple of 16", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(ConvolutionGradientCheck.MachineError <= ConvolutionGradientCheck.Tolerance);
            Assert.Single(trainer.Fit(data).History);
        }
    }
}
