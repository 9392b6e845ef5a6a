using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Training;

/// <summary>A tiny DCGAN trained by the Trainer: both networks learn, are checkpointed and resume exactly.</summary>
public class GanStepTests
{
    private static readonly GanOptimizer Adam = new() { LearningRate = 2e-3, Beta1 = 0.5 };
    private static readonly GanOptions Gan = new() { Generator = Adam, Discriminator = Adam with { LearningRate = 1e-3 }, Noise = 8, Samples = 100 };
    private static readonly Recipe Fast = new() { Epochs = 2, BatchSize = 16, ValidationFraction = 0, Seed = 3, Gan = Gan };

    private static (SpecModel Generator, SpecModel Discriminator) NewModels()
    {
        manual_seed(1);
        return (ModelBuilder.Build(Dcgan.Generator([1, 8, 8], Gan.Noise)), ModelBuilder.Build(Dcgan.Discriminator([1, 8, 8])));
    }

    private static SpecModel NewJudge()
    {
        manual_seed(2);
        return ModelBuilder.Build(TinyData.SmallCnn());
    }

    private static float[] Weights(SpecModel model) => model.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();

    [Fact]
    public void TrainingMovesBothNetworksAndScoresEveryEpochWithTheJudge()
    {
        using var train = TinyData.Images(64);
        train.Features.mul_(2).sub_(1);
        var (generator, discriminator) = NewModels();
        using var judgeModel = NewJudge();
        using var judge = new GanJudge(judgeModel, Gan.Samples);
        using var step = new GanStep(discriminator, Gan, judge);
        var (generatorBefore, discriminatorBefore) = (Weights(generator), Weights(discriminator));

        var result = new Trainer(generator, Fast, step: step).Fit(train, train);

        Assert.Equal(2, result.History.Count);
        Assert.All(result.History, e =>
        {
            Assert.True(double.IsFinite(e.TrainLoss));
            Assert.InRange(e.TaskMetrics["d_real"], 0, 1);
            Assert.InRange(e.TaskMetrics["class_coverage"], 0, 1);
            Assert.True(e.TaskMetrics["frechet_distance"] >= 0);
        });
        Assert.NotEqual(generatorBefore, Weights(generator));
        Assert.NotEqual(discriminatorBefore, Weights(discriminator));
        generator.Dispose();
        discriminator.Dispose();
    }

    [Fact]
    public void AResumedFitEndsWithTheSameGeneratorAndDiscriminatorAsAnUninterruptedOne()
    {
        using var train = TinyData.Images(48);
        using var directory = new TempDirectory();
        float[] Run(int epochs, string? resumeFrom, out float[] discriminatorWeights)
        {
            var (generator, discriminator) = NewModels();
            using (generator)
            using (discriminator)
            using (var step = new GanStep(discriminator, Gan, judge: null))
            {
                var checkpoint = new ModelCheckpoint(directory.Path, monitor: "loss");
                new Trainer(generator, Fast with { Epochs = epochs }, [checkpoint], step).Fit(train, resumeFrom: resumeFrom);
                discriminatorWeights = Weights(discriminator);
                return Weights(generator);
            }
        }

        var straight = Run(2, null, out var straightDiscriminator);
        Run(1, null, out _);
        var last = Path.Combine(directory.Path, "last");
        Assert.True(File.Exists(Path.Combine(last, "discriminator.weights")));
        Assert.True(File.Exists(Path.Combine(last, "discriminator_optimizer.state")));
        var resumed = Run(2, last, out var resumedDiscriminator);

        Assert.Equal(straight, resumed);
        Assert.Equal(straightDiscriminator, resumedDiscriminator);
    }

    [Theory]
    [InlineData("generator")]
    [InlineData("discriminator")]
    public void ARecipeMissingOneOptimiserIsRefusedInOneLine(string missing)
    {
        var present = missing == "generator" ? "discriminator" : "generator";
        var json = "{\"gan\": {\"" + present + "\": {\"learning_rate\": 0.0002, \"beta1\": 0.5}}}";
        var error = Assert.Throws<ArgumentException>(() => Recipe.FromJson(json).Validate());
        Assert.Contains($"gan.{missing} is missing", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Beta1OutsideItsRangeNamesTheField()
    {
        var recipe = Fast with { Gan = Gan with { Discriminator = Adam with { Beta1 = 1.5 } } };
        Assert.Contains("gan.discriminator.beta1 must be in [0, 1)", Assert.Throws<ArgumentException>(recipe.Validate).Message);
    }
}
