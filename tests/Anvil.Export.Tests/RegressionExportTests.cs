using Anvil.Export.Tests.Support;
using Anvil.Registry.Versions;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Anvil.Export.Tests;

/// <summary>
/// A regressor (a forecaster of 4 steps from a series) exports without softmax, with its outputs
/// back in the targets' unit, and its manifest says what it takes and returns.
/// </summary>
public sealed class RegressionExportTests
{
    private static readonly float[] TargetMean = [52f, 51f, 50f, 49f];
    private static readonly float[] TargetStd = [8f, 9f, 10f, 11f];

    private static ModelSpec Forecaster() => SequenceModels.Series(LayerTypes.Gru) with
    {
        Name = "forecaster",
        Head = TaskKind.Regression,
        ClassNames = ["t+1", "t+2", "t+3", "t+4"],
        Preprocessing = new PreprocessingSpec { Mean = [20f, -3f, 0.5f], Std = [4f, 2f, 0.25f], TargetMean = TargetMean, TargetStd = TargetStd },
    };

    [Fact]
    public void ExportedRegressorGivesTorchSharpsOutputsInTheTargetsUnitWithoutSoftmax()
    {
        var actual = ExportAndCompare(Forecaster(), seed: 3);

        Assert.Contains(actual, v => v < 0 || v > 1); // not probabilities: a softmax would squash them into (0, 1)
    }

    [Fact]
    public void TheBuiltInSeriesGruExportsItsFlattenedStepsAndMatchesTorchSharp()
    {
        // series-gru: a GRU returning every step, flatten (fixed T) and a dense output per horizon step.
        var spec = BuiltInModels.Create("series-gru", [10, 3], ["t+1", "t+2", "t+3", "t+4"]) with
        {
            Head = TaskKind.Regression,
            Preprocessing = Forecaster().Preprocessing,
        };
        ExportAndCompare(spec, seed: 4);
    }

    [Fact]
    public void RegressorsManifestStatesValuesTheWindowAndTheTargetsUnit()
    {
        var spec = Forecaster();

        var manifest = ModelVersionBuilder.Manifest(spec, new ModelOrigin(null, null, new Dictionary<string, double>()), new Dictionary<string, string>());

        Assert.Equal(ModelManifest.CurrentFormat, manifest.Format);
        Assert.Equal("series", manifest.InputKind);
        Assert.Equal(ModelManifest.Values, manifest.OutputKind);
        Assert.Equal(10, manifest.Preprocessing.SequenceLength);
        Assert.Equal(TargetMean, manifest.Preprocessing.TargetMean);
        Assert.Equal(TargetStd, manifest.Preprocessing.TargetStd);
        var output = Assert.Single(manifest.Signature.Outputs);
        Assert.Equal(OnnxExporter.ValuesName, output.Name);
        Assert.Equal([-1L, 4L], output.Shape);
        Assert.Null(manifest.Preprocessing.Tokenizer);
    }

    [Fact]
    public void ARegressionHeadEndingInSoftmaxIsRefusedWithTheFix()
    {
        var spec = Forecaster() with { Layers = [.. Forecaster().Layers.SkipLast(1), new LayerSpec { Type = LayerTypes.Dense, Activation = "softmax" }] };

        var error = Assert.Throws<InvalidDataException>(() => ModelBuilder.InferOutputShape(spec));

        Assert.Contains("remove \"activation\": \"softmax\"", error.Message, StringComparison.Ordinal);
    }

    // Exports the model built from the spec and runs a batch of raw windows through both engines; returns ONNX Runtime's values.
    private static float[] ExportAndCompare(ModelSpec spec, int seed)
    {
        using var model = SequenceModels.Build(spec);
        const int batch = 5;
        var raw = SequenceModels.Series(batch, seed);

        var expected = TorchValues(model, Oracle.Preprocess(spec, raw), batch);
        var actual = OnnxValues(OnnxExporter.ToBytes(model), spec, raw, batch);

        // Outputs of about ±200: float32 differences of the summation order scale with them.
        var tolerance = 1e-5f * expected.Max(Math.Abs);
        Assert.True(Oracle.MaxAbsDifference(expected, actual) <= tolerance, $"values differ by {Oracle.MaxAbsDifference(expected, actual):E2} > {tolerance:E2}.");
        return actual;
    }

    private static float[] TorchValues(SpecModel model, float[] inputs, int batch)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = tensor(inputs, [batch, .. model.Spec.InputShape.Select(d => (long)d)]);
        using var std = tensor(TargetStd);
        using var mean = tensor(TargetMean);
        return model.forward(x).mul(std).add(mean).data<float>().ToArray();
    }

    private static float[] OnnxValues(byte[] onnx, ModelSpec spec, float[] inputs, int batch)
    {
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [batch, .. spec.InputShape.Select(d => (long)d)]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.ValuesName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
