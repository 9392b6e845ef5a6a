using Anvil.Training.Data;
using Anvil.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Export.Tests.Support;

/// <summary>
/// A small conv2d-BN-ReLU / dense model really trained (Adam, a few epochs) on the 512 Fashion-MNIST
/// images of the test sample, exported to ONNX once per test process. Quantisation error depends on the
/// weights and activations a model learned, so random weights would not show it.
/// </summary>
internal static class TrainedFashionModel
{
    private static readonly Lazy<(byte[] Onnx, float[] Pixels, long[] Labels)> Trained = new(Train);

    /// <summary>The float ONNX file.</summary>
    public static byte[] Onnx => Trained.Value.Onnx;

    /// <summary>The 512 images as raw 0..255 pixel values, (N, 1, 28, 28) row-major.</summary>
    public static float[] Pixels => Trained.Value.Pixels;

    public static long[] Labels => Trained.Value.Labels;

    public const int Count = 512;

    public static readonly long[] SampleShape = [1, 28, 28];

    public static ModelSpec Spec { get; } = new()
    {
        Name = "small-cnn",
        InputShape = [1, 28, 28],
        ClassNames = TestModels.Classes,
        Preprocessing = TestModels.Grey,
        Layers =
        [
            new() { Type = LayerTypes.Conv2d, Filters = 16, Kernel = 3, Padding = "same", BatchNorm = true, Activation = "relu" },
            new() { Type = LayerTypes.MaxPool2d, Size = 2 },
            new() { Type = LayerTypes.Conv2d, Filters = 32, Kernel = 3, Padding = "same", BatchNorm = true, Activation = "relu" },
            new() { Type = LayerTypes.MaxPool2d, Size = 2 },
            new() { Type = LayerTypes.Flatten },
            new() { Type = LayerTypes.Dense, Units = 64, Activation = "relu" },
            new() { Type = LayerTypes.Dense, Activation = "softmax" },
        ],
    };

    private static (byte[], float[], long[]) Train()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "TestData", "fashion-mnist-sample");
        using var images = IdxReader.ReadImages(Path.Combine(directory, "t10k-images-idx3-ubyte.gz")); // (512, 1, 28, 28) in [0, 1]
        using var labels = IdxReader.ReadLabels(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"));
        var pixels = images.mul(255).round().data<float>().ToArray();
        torch.random.manual_seed(7);
        using var model = ModelBuilder.Build(Spec);
        using var normalised = images.sub(TestModels.Grey.Mean[0]).div(TestModels.Grey.Std[0]);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.003);
        model.train();
        for (var epoch = 0; epoch < 8; epoch++)
            for (var start = 0; start < Count; start += 32)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var logits = model.forward(normalised[start..(start + 32)]); // (32, 10)
                nn.functional.cross_entropy(logits, labels[start..(start + 32)]).backward();
                optimizer.step();
            }
        model.eval();
        return (OnnxExporter.ToBytes(model), pixels, labels.data<long>().ToArray());
    }
}
