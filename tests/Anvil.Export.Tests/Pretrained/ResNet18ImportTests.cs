using Anvil.Export.Pretrained;
using Anvil.Training.Models;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Google.Protobuf;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Anvil.Export.Tests.Pretrained;

/// <summary>The packaged ImageNet ResNet-18 imported into the resnet-18 spec, checked against ONNX Runtime on the file itself.</summary>
public sealed class ResNet18ImportTests(ITestOutputHelper output)
{
    private static readonly OnnxPretrainedSource Source = new();

    // The module and the file compute the same float32 maths in different orders over 19 convolutions
    // (libtorch/oneDNN vs ONNX Runtime's MLAS, which also fuses Conv+BN), so the features differ by rounding
    // that grows with depth; the bound is 1e-4 of the largest feature. A BGR/RGB swap, a weight on the
    // wrong layer or a missing shortcut moves them by far more (tens of percent).
    private const double Tolerance = 1e-4;

    [Fact]
    public void ImportedResNet18GivesOnnxRuntimesFeaturesOnTheSameInputs()
    {
        var weights = Source.Load(OnnxPretrainedSource.ImageNetResNet18);
        random.manual_seed(1);
        using var model = ModelBuilder.Build(BuiltInModels.Create(BuiltInModels.ResNet18Name, [3, 224, 224], ["a", "b"]));
        weights.LoadInto(model);
        model.eval();
        using var session = new InferenceSession(Source.ResNet18Path);
        var inputName = session.InputMetadata.Keys.Single();
        var generator = new Random(7);
        foreach (var image in new[] { Noise(generator), Gradient() })
        {
            // The file's input: B, G, R planes of 0..255 pixels minus the channel means (what ResNetPreprocess.onnx makes).
            var bgr = image.ToArray();
            using var ortInput = OrtValue.CreateTensorValueFromMemory(bgr, [1, 3, 224, 224]);
            using var runOptions = new RunOptions();
            using var ortOutputs = session.Run(runOptions, [inputName], [ortInput], [session.OutputMetadata.Keys.Single()]);
            var expected = ortOutputs[0].GetTensorDataAsSpan<float>().ToArray(); // (1, 512, 1, 1)

            using var scope = NewDisposeScope();
            var rgb = tensor(bgr, [1, 3, 224, 224]).flip(1); // the imported stem takes R, G, B
            using var noGrad = no_grad();
            var actual = model.Features(rgb).data<float>().ToArray(); // (1, 512)

            Assert.Equal(512, expected.Length);
            Assert.Equal(512, actual.Length);
            var largest = expected.Max(v => Math.Abs((double)v));
            var difference = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
            output.WriteLine($"largest feature {largest:F4}, max |torch - ort| = {difference:E2} ({difference / largest:E2} of it)");
            Assert.True(largest > 0.1, "the features are all near zero, so the comparison would prove nothing");
            Assert.True(difference <= Tolerance * largest, $"features differ by {difference:E2}, more than {Tolerance:E0} of the largest ({largest:F4}).");
        }
    }

    [Fact]
    public void ImportReadsTheChannelMeansOfThePreprocessingGraph()
    {
        var weights = Source.Load(OnnxPretrainedSource.ImageNetResNet18);

        Assert.Equal(BuiltInModels.ResNet18Name, weights.Backbone);
        Assert.Equal(12, weights.BackboneLayers);
        Assert.Equal(22 * 5, weights.Tensors.Count); // 22 convolutions, each with a batch norm's 4 tensors: the file's 110 initializers
        Assert.Equal(123.15, weights.Preprocessing.Mean[0] * 255, 1); // R
        Assert.Equal(103.06, weights.Preprocessing.Mean[2] * 255, 1); // B
        Assert.All(weights.Preprocessing.Std, s => Assert.Equal(1 / 255f, s));
    }

    [Fact]
    public void TruncatedFileIsRefusedWithOneLine()
    {
        var bytes = File.ReadAllBytes(Source.ResNet18Path);
        var path = Scratch("truncated.onnx", bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => Source.Load(path));

        AssertOneLine(error, "damaged or truncated");
    }

    [Fact]
    public void BytesThatAreNotOnnxAreRefusedWithOneLine()
    {
        var noise = new byte[4096];
        new Random(3).NextBytes(noise);
        var path = Scratch("noise.onnx", noise);

        var error = Assert.Throws<InvalidDataException>(() => Source.Load(path));

        AssertOneLine(error, "damaged");
    }

    [Fact]
    public void AnotherGraphIsRefusedNamingWhatItFound()
    {
        var error = Assert.Throws<InvalidDataException>(() => Source.Load(Source.PreprocessPath));

        AssertOneLine(error, "is not the expected graph: stem convolution: expected a Conv node reading 'OriginalInput', found Split");
    }

    [Fact]
    public void AWeightOfTheWrongShapeIsRefusedNamingIt()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Source.ResNet18Path));
        var stemWeight = model.Graph.Node[0].Input[1];
        var tensor = model.Graph.Initializer.Single(t => t.Name == stemWeight);
        tensor.Dims[0] = 32;
        var kept = tensor.FloatData.Take(32 * 3 * 7 * 7).ToArray();
        tensor.FloatData.Clear();
        tensor.FloatData.Add(kept);
        var path = Scratch("narrow-stem.onnx", model.ToByteArray());

        var error = Assert.Throws<InvalidDataException>(() => Source.Load(path));

        AssertOneLine(error, $"stem convolution: weight '{stemWeight}' has shape [32, 3, 7, 7], expected [64, 3, 7, 7]");
    }

    [Fact]
    public void AGraphMissingABlockIsRefused()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Source.ResNet18Path));
        var pool = model.Graph.Node.Single(n => n.OpType == "AveragePool");
        var lastRelu = pool.Input[0];
        var lastBlockInput = model.Graph.Node.Single(n => n.OpType == "Add" && n.Output[0] == model.Graph.Node.Single(r => r.Output[0] == lastRelu).Input[0]).Input[1];
        pool.Input[0] = lastBlockInput; // the ninth block's output replaced by its input: eight blocks
        var path = Scratch("eight-blocks.onnx", model.ToByteArray());

        var error = Assert.Throws<InvalidDataException>(() => Source.Load(path));

        AssertOneLine(error, "block 9");
    }

    private static void AssertOneLine(Exception error, string expected)
    {
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static string Scratch(string name, byte[] bytes)
    {
        var directory = Directory.CreateTempSubdirectory("anvil-resnet18-");
        var path = Path.Combine(directory.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // (3, 224, 224) B, G, R values already centred: uniform noise of ±128.
    private static float[] Noise(Random generator) => [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(generator.NextDouble() * 255 - 128))];

    // A smooth image: a different ramp per channel, as a photograph's large areas are.
    private static float[] Gradient() =>
        [.. Enumerable.Range(0, 3 * 224 * 224).Select(i => (i / (224 * 224), i / 224 % 224, i % 224) is var (c, y, x) ? (float)((c == 0 ? x : c == 1 ? y : x + y) * 255.0 / 448 - 60) : 0)];
}
