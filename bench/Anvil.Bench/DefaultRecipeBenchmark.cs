using Anvil.Training.Models;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Bench;

/// <summary>One epoch of the default recipe's model and step, reported as achieved GFLOP/s.</summary>
internal static class DefaultRecipeBenchmark
{
    public static Dictionary<string, object> Run()
    {
        var (train, _) = SeedCnnBenchmarks.Load();
        var spec = BuiltInModels.Create(Recipe.Default.Model, [1, 28, 28], train.ClassNames.ToArray());
        manual_seed(1);
        using var model = ModelBuilder.Build(spec);
        var result = new Trainer(model, Recipe.Default with { Epochs = 1 }).Fit(train);
        var imagesPerSecond = train.Count / result.History[0].Seconds;
        // A training step costs ~3 forward passes (forward, gradient w.r.t. inputs, gradient w.r.t. weights).
        var trainFlopsPerImage = 3 * FlopCounter.ForwardFlops(spec);
        return new()
        {
            ["mode"] = "default",
            ["model"] = spec.Name,
            ["images_per_second"] = imagesPerSecond,
            ["train_mflop_per_image"] = trainFlopsPerImage / 1e6,
            ["gflops"] = trainFlopsPerImage * imagesPerSecond / 1e9,
        };
    }
}
