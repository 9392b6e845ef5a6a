using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Models;

public class ModelSpecTests
{
    private static readonly string[] TenClasses = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray();

    [Theory]
    [InlineData("vgg-small")]
    [InlineData("seed-cnn")]
    [InlineData("resnet-small")]
    [InlineData("mlp")]
    [InlineData("resnet-18")]
    public void BuiltInModelsAdaptToTheInputShapeAndOutputOneScorePerClass(string name)
    {
        foreach (int[] shape in new[] { new[] { 1, 28, 28 }, new[] { 3, 32, 32 } })
        {
            using var model = ModelBuilder.Build(BuiltInModels.Create(name, shape, TenClasses));
            using var output = model.forward(randn([2, .. shape.Select(d => (long)d)]));
            Assert.Equal(new long[] { 2, 10 }, output.shape);
        }
    }

    [Fact]
    public void SpecSurvivesAJsonRoundTrip()
    {
        var spec = BuiltInModels.Create("seed-cnn", [1, 28, 28], TenClasses) with
        {
            Preprocessing = new PreprocessingSpec { Scale = 1 / 255.0, Mean = [0.286f], Std = [0.353f] },
        };

        var parsed = ModelSpec.Parse(spec.ToJson());

        Assert.Equal(spec.ToJson(), parsed.ToJson());
        Assert.Contains("\"input_shape\"", spec.ToJson());
    }

    [Fact]
    public void UnknownLayerTypeIsRejectedListingTheValidTypes()
    {
        var json = """
            {"name": "x", "input_shape": [1, 8, 8], "class_names": ["a", "b"],
             "layers": [{"type": "conv3d", "filters": 4}, {"type": "flatten"}, {"type": "dense"}]}
            """;

        var error = Assert.Throws<InvalidDataException>(() => ModelSpec.Parse(json));

        Assert.Contains("Layer 0 (conv3d)", error.Message);
        Assert.Contains("unknown layer type 'conv3d'", error.Message);
        Assert.Contains("conv2d, conv_transpose, batchnorm, maxpool2d", error.Message);
    }

    [Fact]
    public void MisspelledFieldIsRejected()
    {
        var json = """{"name": "x", "input_shape": [4], "class_names": ["a", "b"], "layers": [{"type": "dense", "unit": 3}]}""";

        var error = Assert.Throws<InvalidDataException>(() => ModelSpec.Parse(json, "my.json"));

        Assert.StartsWith("my.json is not a valid model spec", error.Message);
        Assert.Contains("unit", error.Message);
    }

    [Fact]
    public void DenseOnAnImageAsksForAFlattenLayer()
    {
        var spec = new ModelSpec
        {
            Name = "x", InputShape = [1, 8, 8], ClassNames = ["a", "b"],
            Layers = [new LayerSpec { Type = "dense" }],
        };

        var error = Assert.Throws<InvalidDataException>(() => ModelBuilder.Build(spec));

        Assert.Contains("add {\"type\": \"flatten\"}", error.Message);
    }

    [Fact]
    public void KernelLargerThanItsInputIsRejectedWithTheSizes()
    {
        var spec = new ModelSpec
        {
            Name = "x", InputShape = [1, 4, 4], ClassNames = ["a", "b"],
            Layers = [new LayerSpec { Type = "maxpool2d", Size = 2 }, new LayerSpec { Type = "conv2d", Filters = 2, Kernel = 3 }, new LayerSpec { Type = "flatten" }, new LayerSpec { Type = "dense" }],
        };

        var error = Assert.Throws<InvalidDataException>(() => ModelSpec.Parse(spec.ToJson()));

        Assert.Contains("a 3x3 kernel does not fit a 2x2 input", error.Message);
    }

    [Fact]
    public void OutputThatIsNotOneScorePerClassIsRejected()
    {
        var spec = new ModelSpec
        {
            Name = "x", InputShape = [4], ClassNames = ["a", "b", "c"],
            Layers = [new LayerSpec { Type = "dense", Units = 5 }, new LayerSpec { Type = "activation", Activation = "relu" }],
        };

        var error = Assert.Throws<InvalidDataException>(() => ModelBuilder.Build(spec));

        Assert.Contains("outputs shape [5] but must output [3]", error.Message);
    }

    [Fact]
    public void SoftmaxBeforeTheLastLayerIsRejected()
    {
        var spec = new ModelSpec
        {
            Name = "x", InputShape = [4], ClassNames = ["a", "b"],
            Layers = [new LayerSpec { Type = "dense", Units = 8, Activation = "softmax" }, new LayerSpec { Type = "dense" }],
        };

        var error = Assert.Throws<InvalidDataException>(() => ModelBuilder.Build(spec));

        Assert.Contains("softmax is only allowed on the last layer", error.Message);
    }

    [Fact]
    public void ResidualBlockWithStrideHalvesTheResolutionAndMatchesChannels()
    {
        using var block = new ResidualBlock(4, 8, stride: 2);
        using var output = block.forward(randn(2, 4, 8, 8));
        Assert.Equal(new long[] { 2, 8, 4, 4 }, output.shape);
    }

    [Fact]
    public void ResNet18HalvesTheResolutionFiveTimesAndEndsIn512Features()
    {
        var shapes = ModelBuilder.LayerShapes(BuiltInModels.Create("resnet-18", [3, 64, 64], TenClasses));

        Assert.Equal(new long[] { 64, 32, 32 }, shapes[0].Output); // 7x7 stride-2 stem, "same" padding
        Assert.Equal(new long[] { 64, 16, 16 }, shapes[1].Output); // 3x3 stride-2 max pool, padding 1
        Assert.Equal(new long[] { 512, 2, 2 }, shapes[10].Output);
        Assert.Equal(new long[] { 512 }, shapes[11].Output);
        Assert.Equal(new long[] { 10 }, shapes[^1].Output);
    }

    [Fact]
    public void SamePaddingOnAveragePoolingIsRejected()
    {
        var spec = new ModelSpec
        {
            Name = "x", InputShape = [1, 8, 8], ClassNames = ["a", "b"],
            Layers = [new LayerSpec { Type = "avgpool2d", Size = 3, Padding = "same" }, new LayerSpec { Type = "flatten" }, new LayerSpec { Type = "dense" }],
        };

        var error = Assert.Throws<InvalidDataException>(() => ModelBuilder.Build(spec));

        Assert.Contains("\"same\" padding is for maxpool2d only", error.Message);
    }
}
