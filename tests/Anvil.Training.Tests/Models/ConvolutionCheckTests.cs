using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Models;

/// <summary>Convolutions of the kind libtorch gets wrong on this machine are refused, the others build.</summary>
public class ConvolutionCheckTests
{
    private static ModelSpec Spec(int filters) => new()
    {
        Name = "probe",
        InputShape = [1, 12, 12],
        ClassNames = ["a", "b"],
        Layers =
        [
            new LayerSpec { Type = "conv2d", Filters = filters, Kernel = 3, Padding = "same", Activation = "relu" },
            new LayerSpec { Type = "conv2d", Filters = 8, Kernel = 3, Activation = "relu" },
            new LayerSpec { Type = "flatten" },
            new LayerSpec { Type = "dense" },
        ],
    };

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(48)]
    public void ChannelCountsOfTheSafeKindAlwaysBuild(int filters)
    {
        Assert.False(ConvolutionCheck.IsSuspect(filters));
        using var model = ModelBuilder.Build(Spec(filters));
        Assert.NotNull(model);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(24)]
    [InlineData(40)]
    public void SuspectChannelCountsAreRefusedExactlyWhenThisMachineGetsThemWrong(int filters)
    {
        Assert.True(ConvolutionCheck.IsSuspect(filters));
        if (ConvolutionCheck.MachineIsAffected)
        {
            var error = Assert.Throws<InvalidDataException>(() => ModelBuilder.Build(Spec(filters)));
            Assert.Contains($"Layer 1 (conv2d) gets {filters} input channels", error.Message, StringComparison.Ordinal);
            Assert.Contains("multiple of 16", error.Message, StringComparison.Ordinal);
        }
        else
        {
            using var model = ModelBuilder.Build(Spec(filters));
            Assert.NotNull(model);
        }
    }

    [Fact]
    public void CheckingDoesNotDisturbTheGlobalSeed()
    {
        manual_seed(5);
        var expected = randn(4).data<float>().ToArray();
        manual_seed(5);
        _ = ConvolutionCheck.MachineError;
        var actual = randn(4).data<float>().ToArray();
        Assert.Equal(expected, actual);
    }
}
