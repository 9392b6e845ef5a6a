using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Bench;

/// <summary>
/// Anvil's Trainer with its GanStep on the DCGAN of samples/gan, one epoch over the first GAN_IMAGES (12,000)
/// training images, without the per-epoch judge (bench/pytorch_gan.py has none either).
/// </summary>
internal static class GanBenchmark
{
    public static Dictionary<string, object> Run(int epochs)
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("GAN_IMAGES") ?? "12000", System.Globalization.CultureInfo.InvariantCulture);
        var (all, test) = FashionMnist.Load();
        test.Dispose();
        using var indices = arange(Math.Min(count, all.Count));
        using var train = all.Subset(indices);
        all.Dispose();
        train.Features.mul_(2).sub_(1); // [0, 1] → the generator's tanh range, as GanRun scales them
        var adam = new GanOptimizer { LearningRate = 2e-4, Beta1 = 0.5, Beta2 = 0.999 };
        var gan = new GanOptions { Generator = adam, Discriminator = adam, Noise = 100 };
        manual_seed(1);
        using var generator = ModelBuilder.Build(Dcgan.Generator([1, 28, 28], gan.Noise));
        using var discriminator = ModelBuilder.Build(Dcgan.Discriminator([1, 28, 28]));
        using var step = new GanStep(discriminator, gan, judge: null);
        var recipe = new Recipe { Epochs = epochs, BatchSize = 64, ValidationFraction = 0, Gan = gan };
        var result = new Trainer(generator, recipe, step: step).Fit(train);
        return new()
        {
            ["mode"] = "trainer-gan",
            ["images_per_second"] = train.Count * epochs / result.History.Sum(h => h.Seconds),
            ["peak_memory_mb"] = TorchRuntime.PeakMemoryMb() ?? 0,
        };
    }
}
