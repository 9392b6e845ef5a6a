using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Models;

/// <summary>Convolutions libtorch computes wrongly on this machine are refused, the others build.</summary>
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

    /// <summary>The same measurement as the check, written out independently.</summary>
    private static double Float32Error(int channels)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(99);
        var x = randn([3, channels, 10, 10], generator: generator);
        var w = randn([5, channels, 3, 3], generator: generator) * 0.1;
        var difference = nn.functional.conv2d(x, w, padding: [1, 1]).to(float64) - nn.functional.conv2d(x.to(float64), w.to(float64), padding: [1, 1]);
        return difference.abs().max().item<double>();
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(40)]
    public void BuildRefusesExactlyTheChannelCountsLibtorchGetsWrongHere(int filters)
    {
        if (Float32Error(filters) > ConvolutionCheck.Tolerance)
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
        _ = ConvolutionCheck.MeasuredError(21, 3);
        var actual = randn(4).data<float>().ToArray();
        Assert.Equal(expected, actual);
    }
}
