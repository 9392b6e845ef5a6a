using Anvil.Export.Quantisation;
using Anvil.Export.Tests.Support;

namespace Anvil.Export.Tests.Quantisation;

/// <summary>
/// Every built-in image and feature architecture and the two coverage specs (residual blocks, GELU,
/// average pooling, a standalone batch norm, a batch norm on vectors) quantise into graphs ONNX Runtime
/// loads and runs, with probabilities near the float graph's.
/// </summary>
public class Int8ArchitectureTests
{
    // Measured (AMD EPYC with AVX-512 VNNI, ORT 1.31.1, random inputs, batch norms in a random state):
    // max |Δp| 0.0021-0.026 over these 12 cases, the most for image-coverage (GELU, sigmoid and tanh
    // between quantised layers). 0.05 as in Int8QuantiserTests: a wrong scale or layout moves tenths.
    private const float ProbabilityTolerance = 0.05f;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var name in TestModels.Names)
            foreach (var method in new[] { "dynamic", "static" })
                cases.Add(name, method);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void QuantisedGraphRunsAndStaysNearTheFloatGraph(string name, string method)
    {
        var spec = TestModels.Spec(name);
        using var model = TestModels.BuildTrained(spec);
        var onnx = OnnxExporter.ToBytes(model);
        const int Batch = 64;
        var inputs = Oracle.RawInputs(spec, Batch, seed: 3);

        var int8 = method == "dynamic"
            ? Int8Quantiser.Dynamic(onnx)
            : Int8Quantiser.Static(onnx, new CalibrationSet(Oracle.RawInputs(spec, 128, seed: 4), [.. spec.InputShape.Select(d => (long)d)], 128));

        var expected = Oracle.OnnxProbabilities(onnx, spec, inputs, Batch);
        var actual = Oracle.OnnxProbabilities(int8, spec, inputs, Batch);
        Assert.All(actual, p => Assert.True(float.IsFinite(p)));
        var difference = Oracle.MaxAbsDifference(expected, actual);
        Assert.True(difference <= ProbabilityTolerance, $"max |Δp| {difference}");
    }
}
