using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Training.Models;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Anvil.Export.Tests;

/// <summary>A DCGAN generator exports to ONNX (noise in, image in [0, 1] out), matches TorchSharp and seals as a generator version.</summary>
public sealed class GeneratorExportTests(ITestOutputHelper output) : IDisposable
{
    // Pixel values in [0, 1] compared with an absolute tolerance: the engines compute the same float32 maths in
    // different orders (and ORT fuses ConvTranspose+BN), so they differ by rounding only; a wrong weight layout,
    // padding or batch-norm statistic moves pixels by far more than 1e-5.
    private const float Tolerance = 1e-5f;
    private readonly string _home = Directory.CreateTempSubdirectory("anvil-export-tests-").FullName;

    private static SpecModel TrainedLikeGenerator()
    {
        manual_seed(11);
        var model = ModelBuilder.Build(Dcgan.Generator([1, 28, 28], noise: 100));
        // A few forward passes in training mode move batch norm's running statistics away from (0, 1), as training does.
        model.train();
        using (no_grad())
        {
            for (var i = 0; i < 5; i++)
                model.forward(randn(32, 100, 1, 1)).Dispose();
        }
        model.eval();
        return model;
    }

    [Fact]
    public void ExportedGeneratorGivesTorchSharpsImagesForTheSameNoise()
    {
        using var model = TrainedLikeGenerator();
        var onnx = OnnxExporter.ToBytes(model);
        foreach (var batch in new[] { 6, 1 })
        {
            using var noise = randn(batch, 100, 1, 1);
            float[] expected;
            using (no_grad())
                expected = model.forward(noise).add(1).mul(0.5).data<float>().ToArray();

            using var session = new InferenceSession(onnx);
            using var input = OrtValue.CreateTensorValueFromMemory(noise.data<float>().ToArray(), [batch, 100, 1, 1]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.ImageName]);
            var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            var difference = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();

            output.WriteLine($"batch {batch}: max |pixel_onnx - pixel_torch| = {difference:E2}");
            Assert.Equal([batch, 1L, 28, 28], outputs[0].GetTensorTypeAndShape().Shape);
            Assert.True(difference <= Tolerance, $"batch {batch}: pixels differ by {difference:E2} > {Tolerance:E0}.");
            Assert.All(actual, v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void AGeneratorSealsAsAVersionThatTakesNoiseAndReturnsImages()
    {
        using var model = TrainedLikeGenerator();
        var home = new AnvilHome(_home);
        using var signer = ManifestSigner.OpenOrCreate(home);

        var version = ModelVersionBuilder.Build(model, new ModelOrigin("run", null, new Dictionary<string, double> { ["frechet_distance"] = 12.5 }), signer, Path.Combine(_home, "models"));

        using var verifier = ManifestSigner.OpenForVerification(home);
        var manifest = ModelVersionFiles.Open(version.Directory, verifier, version.Digest).Manifest;
        Assert.Equal(ModelManifest.Noise, manifest.InputKind);
        Assert.Equal(ModelManifest.Image, manifest.OutputKind);
        Assert.Equal([-1L, 100, 1, 1], Assert.Single(manifest.Signature.Inputs).Shape);
        Assert.Equal([-1L, 1, 28, 28], Assert.Single(manifest.Signature.Outputs).Shape);
        Assert.Empty(manifest.Signature.ClassLabels);
        Assert.Equal(12.5, manifest.Metrics["frechet_distance"]);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
