using Anvil.Export.Quantisation;
using Anvil.Export.Tests.Support;
using Onnx;

namespace Anvil.Export.Tests.Quantisation;

/// <summary>
/// The int8 graphs of a small trained Fashion-MNIST model, run in ONNX Runtime against the float graph
/// on the 512 sample images.
/// </summary>
public class Int8QuantiserTests
{
    // Measured on this model (AMD EPYC with AVX-512 VNNI, ORT 1.31.1): max |Δp| 0.021 for both methods,
    // top-1 agreement 510 and 511 of 512. 0.05 leaves room for int8 rounding on another CPU's kernels and
    // still catches a wrong scale, zero point or layout, which moves probabilities by tenths.
    private const float ProbabilityTolerance = 0.05f;

    private static readonly CalibrationSet Calibration =
        new(TrainedFashionModel.Pixels[..(256 * 784)], TrainedFashionModel.SampleShape, 256);

    [Fact]
    public void DynamicInt8AgreesWithTheFloatGraphOnTop1AndProbabilities()
    {
        var int8 = Int8Quantiser.Dynamic(TrainedFashionModel.Onnx);

        AssertCloseToFloat(int8);
        var ops = OpTypes(int8);
        Assert.Contains("MatMulInteger", ops);
        Assert.Contains("ConvInteger", ops);
        Assert.DoesNotContain("Conv", ops);
        Assert.DoesNotContain("Gemm", ops);
        Assert.True(int8.Length < TrainedFashionModel.Onnx.Length / 3, $"int8 file {int8.Length} bytes, float {TrainedFashionModel.Onnx.Length}");
    }

    [Fact]
    public void StaticInt8AgreesWithTheFloatGraphOnTop1AndProbabilities()
    {
        var int8 = Int8Quantiser.Static(TrainedFashionModel.Onnx, Calibration);

        AssertCloseToFloat(int8);
        var ops = OpTypes(int8);
        Assert.Contains("QuantizeLinear", ops);
        Assert.DoesNotContain("BatchNormalization", ops); // folded first
        Assert.DoesNotContain("Relu", ops); // absorbed by the uint8 clamp at 0
        Assert.True(int8.Length < TrainedFashionModel.Onnx.Length / 3, $"int8 file {int8.Length} bytes, float {TrainedFashionModel.Onnx.Length}");
    }

    [Fact]
    public void BatchNormFoldingLeavesTheFloatOutputsUnchanged()
    {
        var model = ModelProto.Parser.ParseFrom(TrainedFashionModel.Onnx);
        BatchNormFolding.Fold(new QuantGraph(model.Graph));
        var folded = Google.Protobuf.MessageExtensions.ToByteArray(model);

        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization");
        // Folding reorders float32 rounding only: 1e-5 as in the export round trips (docs/decisions/0004).
        Assert.True(Oracle.MaxAbsDifference(Probabilities(TrainedFashionModel.Onnx), Probabilities(folded)) <= 1e-5f);
    }

    [Fact]
    public void StaticInt8WithNoCalibrationSamplesIsAOneLineError()
    {
        var error = Assert.Throws<ArgumentException>(() => Int8Quantiser.Static(TrainedFashionModel.Onnx, new CalibrationSet([], TrainedFashionModel.SampleShape, 0)));

        Assert.StartsWith("Static int8 quantisation needs calibration samples, got 0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void RecurrentModelIsRefusedWithAClearMessage()
    {
        using var model = SequenceModels.Build(SequenceModels.Text("gru"));
        var onnx = OnnxExporter.ToBytes(model);

        var error = Assert.Throws<NotSupportedException>(() => Int8Quantiser.Dynamic(onnx));

        Assert.Contains("int8 quantisation covers conv2d and dense models only", error.Message, StringComparison.Ordinal);
    }

    private static void AssertCloseToFloat(byte[] int8)
    {
        var expected = Probabilities(TrainedFashionModel.Onnx);
        var actual = Probabilities(int8);
        var classes = TrainedFashionModel.Spec.ClassNames.Length;
        var agree = Enumerable.Range(0, TrainedFashionModel.Count).Count(i => ArgMax(expected, i, classes) == ArgMax(actual, i, classes));
        var accuracy = Enumerable.Range(0, TrainedFashionModel.Count).Count(i => ArgMax(expected, i, classes) == TrainedFashionModel.Labels[i]);
        var maxDifference = Oracle.MaxAbsDifference(expected, actual);
        Assert.True(agree >= 0.99 * TrainedFashionModel.Count, $"top-1 agreement {agree}/{TrainedFashionModel.Count}, max |Δp| {maxDifference}, float accuracy {accuracy}");
        Assert.True(maxDifference <= ProbabilityTolerance, $"max |Δp| {maxDifference}, top-1 agreement {agree}/{TrainedFashionModel.Count}");
        Assert.True(accuracy > 0.7 * TrainedFashionModel.Count, $"the float model is trained: accuracy {accuracy}/{TrainedFashionModel.Count}");
    }

    private static float[] Probabilities(byte[] onnx) =>
        Oracle.OnnxProbabilities(onnx, TrainedFashionModel.Spec, TrainedFashionModel.Pixels, TrainedFashionModel.Count);

    private static int ArgMax(float[] probabilities, int row, int classes)
    {
        var span = probabilities.AsSpan(row * classes, classes);
        var best = 0;
        for (var c = 1; c < classes; c++)
            if (span[c] > span[best])
                best = c;
        return best;
    }

    private static HashSet<string> OpTypes(byte[] onnx) => [.. ModelProto.Parser.ParseFrom(onnx).Graph.Node.Select(n => n.OpType)];
}
