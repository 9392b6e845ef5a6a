using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Models;

/// <summary>conv_transpose and leaky_relu against references computed another way, in float64.</summary>
public class TransposedConvolutionTests
{
    private static ModelSpec Generator(params LayerSpec[] layers) => new()
    {
        Name = "gen", InputShape = [20, 1, 1], InputKind = InputKinds.Noise, Head = TaskKind.Generation, ClassNames = [], Layers = layers,
    };

    [Fact]
    public void PointTransposedConvolutionMatchesTheSumOverInputChannelsInFloat64()
    {
        manual_seed(3);
        using var layer = new PointTransposedConvolution(20, 6, kernel: 7, padding: 1);
        using var z = randn(4, 20, 1, 1);
        using var y = layer.call(z); // (4, 6, 5, 5)
        var weight = layer.parameters().First().to(float64); // (20, 6, 7, 7)
        var bias = layer.parameters().Last().to(float64);
        // out[b, o, i, j] = Σ_c z[b, c] · w[c, o, i, j] + bias[o], cropped by the padding on each side
        using var reference = einsum("bc,coij->boij", z.flatten(1).to(float64), weight).narrow(2, 1, 5).narrow(3, 1, 5) + bias.view(1, -1, 1, 1);

        Assert.Equal([4L, 6, 5, 5], y.shape);
        Assert.True((y.to(float64) - reference).abs().max().item<double>() < 1e-5);
    }

    [Fact]
    public void SpatialTransposedConvolutionMatchesFloat64AndDoublesTheSizeWithSamePadding()
    {
        manual_seed(4);
        var spec = Generator(
            new LayerSpec { Type = LayerTypes.ConvTranspose, Filters = 16, Kernel = 7 },
            new LayerSpec { Type = LayerTypes.ConvTranspose, Filters = 1, Kernel = 4, Stride = 2, Padding = "same", Activation = "tanh" });
        using var model = ModelBuilder.Build(spec);
        using var z = randn(3, 20, 1, 1);
        using var image = model.forward(z);

        Assert.Equal([1L, 14, 14], ModelBuilder.InferOutputShape(spec));
        Assert.Equal([3L, 1, 14, 14], image.shape);
        // Recompute the second layer in float64 with libtorch's reference kernel on the first layer's output.
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var first = ((TorchSharp.torch.nn.Module<Tensor, Tensor>)model.named_children().First().module.named_children().First().module).call(z);
        using var reference = nn.functional.conv_transpose2d(first.to(float64), parameters["layers.01_conv_transpose.0.weight"].to(float64),
            parameters["layers.01_conv_transpose.0.bias"].to(float64), [2, 2], [1, 1]).tanh();
        Assert.True((image.to(float64) - reference).abs().max().item<double>() < 1e-5);
    }

    [Fact]
    public void LeakyReluKeepsAFifthOfNegativeInputs()
    {
        var spec = new ModelSpec
        {
            Name = "d", InputShape = [2], ClassNames = ["a", "b"],
            Layers = [new LayerSpec { Type = LayerTypes.Activation, Activation = "leaky_relu" }, new LayerSpec { Type = LayerTypes.Dense }],
        };
        using var model = ModelBuilder.Build(spec);
        var activation = (TorchSharp.torch.nn.Module<Tensor, Tensor>)model.named_children().First().module.named_children().First().module;
        using var y = activation.call(tensor(new[] { -1f, 3f }));

        Assert.Equal(new[] { -0.2f, 3f }, y.data<float>().ToArray());
    }

    [Theory]
    [InlineData("same", 3, 2, "kernel − stride to be even")]
    [InlineData("full", 4, 2, "unknown padding 'full'")]
    public void BadPaddingIsRefusedWithTheFix(string padding, int kernel, int stride, string expected)
    {
        var spec = Generator(new LayerSpec { Type = LayerTypes.ConvTranspose, Filters = 1, Kernel = kernel, Stride = stride, Padding = padding });
        var error = Assert.Throws<InvalidDataException>(() => ModelBuilder.InferOutputShape(spec));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AGeneratorMustEndInAnImageAndTakeNoise()
    {
        var flat = Generator(new LayerSpec { Type = LayerTypes.Flatten });
        Assert.Contains("must output an image", Assert.Throws<InvalidDataException>(() => ModelBuilder.InferOutputShape(flat)).Message);
        var noNoise = Generator(new LayerSpec { Type = LayerTypes.ConvTranspose, Filters = 1, Kernel = 4 }) with { InputKind = InputKinds.Image };
        Assert.Contains("go together", Assert.Throws<InvalidDataException>(() => ModelBuilder.InferOutputShape(noNoise)).Message);
    }
}
