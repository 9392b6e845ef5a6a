using Anvil.Export.Tests.Support;
using Xunit.Abstractions;

namespace Anvil.Export.Tests;

/// <summary>Every architecture written to ONNX, run in ONNX Runtime on raw inputs, and compared with TorchSharp.</summary>
public sealed class OnnxExporterRoundTripTests(ITestOutputHelper output)
{
    // Probabilities are compared with an absolute tolerance. The two engines compute the same float32
    // maths in different orders (libtorch/oneDNN vs ONNX Runtime's MLAS kernels; ORT also fuses
    // Conv+BN and erf-GELU), so results differ by rounding. Measured on the CI machine type (Zen 3,
    // AVX2/FMA) with confident models (max probability near 1): at most 5.4e-7 over all six
    // architectures and both batch sizes (mlp 5.4e-7, resnet-small 4.8e-7, image-coverage 1.8e-7).
    // 1e-5 leaves a 19x margin and still catches subtle mistakes: a batch-norm epsilon of 1e-4
    // instead of 1e-5 moved probabilities by 1.6e-5; a wrong weight, layout or preprocessing step by far more.
    private const float Tolerance = 1e-5f;

    public static TheoryData<string> Architectures() => [.. TestModels.Names];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void ExportedModelGivesTorchSharpsProbabilitiesOnRawInputs(string architecture)
    {
        var spec = TestModels.Spec(architecture);
        using var model = TestModels.BuildTrained(spec);
        var onnx = OnnxExporter.ToBytes(model);

        foreach (var batch in new[] { 8, 1 }) // one graph serves any batch size
        {
            var raw = Oracle.RawInputs(spec, batch, seed: batch);
            var expected = Oracle.TorchProbabilities(model, Oracle.Preprocess(spec, raw), batch);
            var actual = Oracle.OnnxProbabilities(onnx, spec, raw, batch);

            var difference = Oracle.MaxAbsDifference(expected, actual);
            output.WriteLine($"{architecture} batch {batch}: max |p_onnx - p_torch| = {difference:E2}");
            Assert.True(difference <= Tolerance, $"{architecture}, batch {batch}: probabilities differ by {difference:E2} > {Tolerance:E0}.");
            AssertSameClasses(expected, actual, spec.ClassNames.Length);
            Assert.All(actual.Chunk(spec.ClassNames.Length), row => Assert.Equal(1f, row.Sum(), 4));
        }
    }

    // The predicted class must agree, except where TorchSharp's top two are within the tolerance (a tie).
    private static void AssertSameClasses(float[] expected, float[] actual, int classes)
    {
        var expectedRows = expected.Chunk(classes).ToArray();
        var actualClasses = Oracle.ArgMax(actual, classes);
        for (var row = 0; row < expectedRows.Length; row++)
        {
            var sorted = expectedRows[row].OrderDescending().ToArray();
            if (sorted[0] - sorted[1] > Tolerance)
                Assert.Equal(Array.IndexOf(expectedRows[row], sorted[0]), actualClasses[row]);
        }
    }
}
