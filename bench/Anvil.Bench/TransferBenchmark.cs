using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Transfer;
using static TorchSharp.torch;

namespace Anvil.Bench;

/// <summary>
/// Anvil's Trainer fine-tuning the resnet-18 of samples/transfer: the first TRANSFER_IMAGES (1,000) Fashion-MNIST
/// training images as RGB 64x64, Adam, batch 50, every layer trained, one thread as the sample trains. Random
/// initialisation: the speed is the same with ImageNet weights, and bench/pytorch_transfer.py has no ONNX reader.
/// </summary>
internal static class TransferBenchmark
{
    public static Dictionary<string, object> Run(int epochs)
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("TRANSFER_IMAGES") ?? "1000", System.Globalization.CultureInfo.InvariantCulture);
        var (all, test) = FashionMnist.Load();
        test.Dispose();
        using var train = TransferData.ToRgb(Anvil.Training.Runs.PreparedData.Head(all, count), 64); // (N, 3, 64, 64)
        manual_seed(1);
        using var model = ModelBuilder.Build(BuiltInModels.Create(BuiltInModels.ResNet18Name, [3, 64, 64], [.. train.ClassNames]));
        var recipe = new Recipe { Model = BuiltInModels.ResNet18Name, Epochs = epochs, BatchSize = 50, Optimizer = "adam", LearningRate = 1e-3, ValidationFraction = 0, Threads = 1 };
        var result = new Trainer(model, recipe).Fit(train);
        return new()
        {
            ["mode"] = "trainer-transfer",
            ["images_per_second"] = train.Count * epochs / result.History.Sum(h => h.Seconds),
            ["peak_memory_mb"] = TorchRuntime.PeakMemoryMb() ?? 0,
        };
    }
}
