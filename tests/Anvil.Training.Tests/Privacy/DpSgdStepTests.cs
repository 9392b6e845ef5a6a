using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Privacy;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Privacy;

public sealed class DpSgdStepTests
{
    private static readonly Recipe Recipe = new()
    {
        Model = "dp-cnn", Epochs = 6, BatchSize = 64, Optimizer = "sgd", LearningRate = 1.0, Momentum = 0.5, Nesterov = false, ValidationFraction = 0, Seed = 3,
        Privacy = new PrivacyOptions { Epsilon = 4, Delta = 1e-4, MaxGradNorm = 1.0 },
    };

    private static (SpecModel Model, DpSgdStep Step) Build(Recipe recipe, TensorDataset train)
    {
        manual_seed(recipe.Seed);
        var model = ModelBuilder.Build(PerSampleGradientsTests.Cnn());
        return (model, DpSgdStep.Create(model, ITrainingStep.For(TaskKind.Classification, recipe), recipe.Privacy!, recipe, train.Count));
    }

    [Fact]
    public void APrivateFitLearnsTheTinyTaskWithinItsBudget()
    {
        using var train = TinyData.Images(1024);
        using var test = TinyData.Images(256, seed: 7);
        var (model, step) = Build(Recipe, train);
        using var _ = model;
        using var __ = step;

        var result = new Trainer(model, Recipe, [new PrivacyBudget(step)], step).Fit(train);

        Assert.Equal(6, result.History.Count);
        var spent = result.History.Select(h => h.TaskMetrics["dp_epsilon"]).ToArray();
        Assert.True(spent.Zip(spent.Skip(1)).All(p => p.Second > p.First), $"ε spent should grow every epoch: {string.Join(", ", spent)}");
        Assert.InRange(spent[^1], 0.9 * 4, 4.0); // the noise was chosen to spend the budget, never more
        Assert.Equal(6 * 16, step.Steps);
        Assert.True(step.NoiseMultiplier > 0.5, $"σ = {step.NoiseMultiplier}");
        var (_, accuracy) = Evaluator.LossAndAccuracy(model, test);
        Assert.True(accuracy > 0.9, $"test accuracy {accuracy}");
    }

    [Fact]
    public void TrainingStopsBeforeItWouldSpendMoreThanTheBudget()
    {
        using var train = TinyData.Images(512);
        var (model, step) = Build(Recipe with { Epochs = 2 }, train); // noise for 2 epochs
        using var _ = model;
        using var __ = step;

        var result = new Trainer(model, Recipe with { Epochs = 5 }, [new PrivacyBudget(step)], step).Fit(train);

        Assert.Contains("privacy budget reached", result.StopReason, StringComparison.Ordinal);
        Assert.True(step.EpsilonSpent <= 4.0, $"spent {step.EpsilonSpent}");
        Assert.True(step.EpsilonAfter(step.Steps + 1) > 4.0, "it stopped only when the next step would pass the budget");
        Assert.Equal(2 * 8, step.Steps);
    }

    [Fact]
    public void TheNoiseIsSecretSoTheSameSeedDoesNotReplayIt()
    {
        using var train = TinyData.Images(256);
        var recipe = Recipe with { Epochs = 1 };
        var (first, firstStep) = Build(recipe, train);
        var (second, secondStep) = Build(recipe, train);
        using (first) using (second) using (firstStep) using (secondStep)
        {
            new Trainer(first, recipe, [], firstStep).Fit(train);
            new Trainer(second, recipe, [], secondStep).Fit(train);
            var a = first.parameters().First();
            var b = second.parameters().First();
            Assert.False(a.allclose(b), "two DP fits with the recipe's seed must not draw the same noise");
        }
    }

    [Fact]
    public void NoiseNeverMovesTheEmbeddingsPadRow()
    {
        manual_seed(2);
        var spec = TextGru.Create([8], ["ham", "spam"], vocabularySize: 12);
        using var model = ModelBuilder.Build(spec);
        var recipe = Recipe with { Model = TextGru.Name, BatchSize = 4 };
        using var step = DpSgdStep.Create(model, ITrainingStep.For(TaskKind.Classification, recipe), recipe.Privacy!, recipe, examples: 64);
        using var optimizer = optim.SGD(model.parameters(), 1.0);
        using var tokens = tensor(new long[] { 3, 4, 5, 0, 0, 0, 0, 0, 7, 7, 2, 9, 1, 0, 0, 0 }, [2, 8]);
        var embedding = model.parameters().First(); // (12, 64)
        var before = embedding[1].clone();

        step.TrainBatch(model, optimizer, tokens, tensor(new long[] { 0, 1 }), new Generator(1));

        Assert.Equal(0f, embedding[0].abs().sum().item<float>());
        Assert.False(embedding[1].allclose(before), "the other rows get their gradient and noise");
    }

    [Fact]
    public void TheStepsTakenSurviveACheckpoint()
    {
        using var train = TinyData.Images(256);
        using var directory = new TempDirectory();
        var (model, step) = Build(Recipe with { Epochs = 1 }, train);
        using (model) using (step)
        {
            new Trainer(model, Recipe with { Epochs = 1 }, [], step).Fit(train);
            step.SaveState(directory.Path);
            var (other, restored) = Build(Recipe with { Epochs = 1 }, train);
            using (other) using (restored)
            {
                restored.RestoreState(directory.Path);
                Assert.Equal(step.Steps, restored.Steps);
                Assert.Equal(step.EpsilonSpent, restored.EpsilonSpent);
            }
        }
        using var empty = new TempDirectory();
        var (third, fresh) = Build(Recipe, train);
        using (third) using (fresh)
        {
            var error = Assert.Throws<InvalidDataException>(() => fresh.RestoreState(empty.Path));
            Assert.Contains("privacy spent before it is unknown", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0.0, 1e-5, 1.0, "privacy.epsilon must be a positive number")]
    [InlineData(-3.0, 1e-5, 1.0, "privacy.epsilon must be a positive number")]
    [InlineData(3.0, 1.0, 1.0, "privacy.delta must be in (0, 1)")]
    [InlineData(3.0, 1e-5, 0.0, "privacy.max_grad_norm must be positive")]
    [InlineData(3.0, 1e-5, -1.0, "privacy.max_grad_norm must be positive")]
    public void BadBudgetsAreRefusedByName(double epsilon, double delta, double clip, string expected)
    {
        var recipe = Recipe with { Privacy = new PrivacyOptions { Epsilon = epsilon, Delta = delta, MaxGradNorm = clip } };
        var error = Assert.Throws<ArgumentException>(recipe.Validate);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeltaNotBelowOneOverTheExamplesIsRefused()
    {
        using var train = TinyData.Images(512);
        var recipe = Recipe with { Privacy = new PrivacyOptions { Epsilon = 3, Delta = 0.01 } };
        var error = Assert.Throws<ArgumentException>(() => Build(recipe, train));
        Assert.Contains("is not below 1 / 512 training examples", error.Message, StringComparison.Ordinal);
    }
}
