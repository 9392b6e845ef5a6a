using System.Diagnostics;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Transforms;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Bench;

/// <summary>The Trainer against a bare TorchSharp loop on the article's CNN, same data, batch and optimizer.</summary>
internal static class SeedCnnBenchmarks
{
    public static Dictionary<string, object> Trainer(int epochs)
    {
        var (train, _) = Load();
        manual_seed(1);
        using var model = ModelBuilder.Build(BuiltInModels.Create("seed-cnn", [1, 28, 28], train.ClassNames.ToArray()));
        var recipe = Recipe.SeedCnn with { Epochs = epochs, ValidationFraction = 0 };
        var result = new Trainer(model, recipe).Fit(train);
        var seconds = result.History.Sum(h => h.Seconds);
        return new()
        {
            ["mode"] = "trainer",
            ["images_per_second"] = train.Count * epochs / seconds,
            ["live_tensors_per_epoch"] = result.History.Select(h => h.LiveTensors).ToArray(),
            ["peak_memory_mb"] = TorchRuntime.PeakMemoryMb() ?? 0,
        };
    }

    public static Dictionary<string, object> Bare(int epochs)
    {
        var (train, _) = Load();
        TorchRuntime.Initialize(); // same process settings as the Trainer (ANVIL_NO_MALLOC_TUNING=1 turns them off)
        manual_seed(1);
        var model = Sequential(
            Conv2d(1, 32, 3), ReLU(), MaxPool2d(2),
            Conv2d(32, 64, 3), ReLU(), MaxPool2d(2),
            Conv2d(64, 64, 3), ReLU(), Flatten(),
            Linear(576, 64), ReLU(), Linear(64, 10));
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var stopwatch = Stopwatch.StartNew();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            using var order = randperm(train.Count);
            for (var start = 0; start < train.Count; start += 64)
            {
                using var scope = NewDisposeScope();
                var indices = order.narrow(0, start, Math.Min(64, train.Count - start));
                optimizer.zero_grad();
                var loss = functional.cross_entropy(model.forward(train.Features.index_select(0, indices)), train.Labels.index_select(0, indices));
                loss.backward();
                optimizer.step();
                _ = loss.item<float>(); // the Trainer reads every loss too
            }
        }
        return new()
        {
            ["mode"] = Environment.GetEnvironmentVariable("ANVIL_NO_MALLOC_TUNING") == "1" ? "bare-untuned" : "bare",
            ["images_per_second"] = train.Count * epochs / stopwatch.Elapsed.TotalSeconds,
            ["peak_memory_mb"] = TorchRuntime.PeakMemoryMb() ?? 0,
        };
    }

    internal static (TensorDataset Train, TensorDataset Test) Load()
    {
        var (train, test) = FashionMnist.Load();
        var normalization = Normalization.Fit(train);
        normalization.ApplyInPlace(train);
        normalization.ApplyInPlace(test);
        return (train, test);
    }
}
