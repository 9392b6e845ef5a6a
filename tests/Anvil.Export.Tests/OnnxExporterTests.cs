using System.Text.Json;
using Anvil.Export.Tests.Support;
using Anvil.Training.Models;
using Microsoft.ML.OnnxRuntime;

namespace Anvil.Export.Tests;

public sealed class OnnxExporterTests
{
    private const float Tolerance = 1e-5f; // see OnnxExporterRoundTripTests

    [Fact]
    public void GraphDeclaresInputAndProbabilitiesWithASymbolicBatchDimension()
    {
        using var model = TestModels.BuildTrained(TestModels.Spec("seed-cnn"));
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("input", input.Key);
        Assert.Equal(typeof(float), input.Value.ElementType);
        Assert.Equal([-1, 1, 28, 28], input.Value.Dimensions);
        Assert.Equal("batch", input.Value.SymbolicDimensions[0]);

        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("probabilities", output.Key);
        Assert.Equal([-1, 10], output.Value.Dimensions);
        Assert.Equal("batch", output.Value.SymbolicDimensions[0]);

        Assert.Equal("anvil", session.ModelMetadata.ProducerName);
        Assert.Equal(TestModels.Classes, JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["class_names"]));
        Assert.Equal("seed-cnn", ModelSpec.Parse(session.ModelMetadata.CustomMetadataMap["anvil_spec"]).Name);
    }

    [Fact]
    public void PreprocessingIsFoldedIntoTheGraph()
    {
        // The same weights exported with and without the spec's Scale/Mean/Std: the first graph on raw
        // pixels must equal the second on pixels normalised by hand, and differ clearly from the second on raw pixels.
        var spec = TestModels.Spec("image-coverage");
        using var withPreprocessing = TestModels.BuildTrained(spec, seed: 7);
        using var without = TestModels.BuildTrained(spec with { Preprocessing = null }, seed: 7);
        var raw = Oracle.RawInputs(spec, batch: 4, seed: 3);
        var normalisedByHand = Oracle.Preprocess(spec, raw);

        var folded = Oracle.OnnxProbabilities(OnnxExporter.ToBytes(withPreprocessing), spec, raw, 4);
        var byHand = Oracle.OnnxProbabilities(OnnxExporter.ToBytes(without), spec, normalisedByHand, 4);
        var torchByHand = Oracle.TorchProbabilities(without, normalisedByHand, 4);
        var unnormalised = Oracle.OnnxProbabilities(OnnxExporter.ToBytes(without), spec, raw, 4);

        Assert.True(Oracle.MaxAbsDifference(folded, byHand) <= Tolerance);
        Assert.True(Oracle.MaxAbsDifference(folded, torchByHand) <= Tolerance);
        Assert.True(Oracle.MaxAbsDifference(folded, unnormalised) > 0.01f, "Raw pixels fed without normalisation should give other probabilities.");
    }

    [Fact]
    public void LastLayerSoftmaxIsNotAppliedTwice()
    {
        // Built-in models end with a dense layer declaring "softmax"; the graph must output softmax(logits), not softmax(softmax(logits)).
        var spec = TestModels.Spec("mlp");
        using var model = TestModels.BuildTrained(spec);
        var raw = Oracle.RawInputs(spec, batch: 4, seed: 5);
        var probabilities = Oracle.OnnxProbabilities(OnnxExporter.ToBytes(model), spec, raw, 4);

        // softmax of probabilities in [0, 1] would have every entry within e/(e + 9) ≈ 0.23 of each other.
        Assert.Contains(probabilities, p => p > 0.5f);
        Assert.All(probabilities.Chunk(10), row => Assert.Equal(1f, row.Sum(), 4));
    }

    [Fact]
    public void ExportWritesTheSameBytesAsToBytes()
    {
        using var model = TestModels.BuildTrained(TestModels.Spec("mlp"));
        var path = Path.Combine(Path.GetTempPath(), $"anvil-export-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            Assert.Equal(OnnxExporter.ToBytes(model), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("conv_transpose2d", null, "Layer 5 (conv_transpose2d) cannot be exported to ONNX: layer type 'conv_transpose2d' is not supported")]
    [InlineData("activation", "swish", "Layer 5 (activation) cannot be exported to ONNX: activation 'swish' is not supported")]
    public void UnsupportedLayerIsRejectedWithItsIndexAndType(string type, string? activation, string expected)
    {
        // ModelBuilder already rejects unknown layers, so a spec the builder accepted is changed
        // afterwards: this is what happens when LayerTypes grows and the exporter does not.
        var spec = TestModels.Spec("mlp");
        using var model = TestModels.BuildTrained(spec);
        var newer = spec with { Layers = [.. spec.Layers.Take(5), new LayerSpec { Type = type, Activation = activation }] };

        var error = Assert.Throws<NotSupportedException>(() => SpecGraphBuilder.Build(newer, new ModelWeights(model.state_dict())));
        Assert.StartsWith(expected, error.Message);
    }
}
