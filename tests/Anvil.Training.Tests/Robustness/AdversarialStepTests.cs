using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Robustness;
using Anvil.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Robustness;

public class AdversarialStepTests
{
    private static readonly PreprocessingSpec Pixels01 = RobustnessEvaluationTests.Pixels01; // pixel = 0.5 + 0.25 × input

    /// <summary>
    /// 8×8 grey images with one robust and many fragile features (after Tsipras et al. 2019, "Robustness May Be at
    /// Odds with Accuracy"): the left column is 0.15 or 0.85 and agrees with the label 90% of the time (moving it
    /// across takes ε 0.35); every other pixel is 0.5 ± 0.05 towards the label plus noise of std 0.1, which
    /// together predict the label almost perfectly but flip at ε 0.1. Normal training leans on the fragile pixels;
    /// training against ε 0.1 must leave them for the column.
    /// </summary>
    internal static TensorDataset Images(int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var labels = randint(0, 2, [count], generator: generator);
        var sign = labels.to(float32).mul(2).sub(1).view(count, 1, 1, 1); // ±1
        var agrees = rand([count, 1, 1, 1], generator: generator).lt(0.9).to(float32).mul(2).sub(1);
        var pixels = (0.5f + 0.05f * sign + 0.1f * randn([count, 1, 8, 8], generator: generator)).clamp(0, 1);
        pixels[.., .., .., ..1] = (0.5f + 0.35f * sign * agrees).expand(count, 1, 8, 1);
        return new TensorDataset((pixels - 0.5f) / 0.25f, labels, ["dark", "light"]);
    }

    internal static ModelSpec Cnn(int filters = 16) => new()
    {
        Name = "adv-cnn",
        InputShape = [1, 8, 8],
        ClassNames = ["dark", "light"],
        Preprocessing = Pixels01,
        Layers =
        [
            new LayerSpec { Type = "conv2d", Filters = filters, Padding = "same", BatchNorm = true, Activation = "relu" },
            new LayerSpec { Type = "maxpool2d" },
            new LayerSpec { Type = "flatten" },
            new LayerSpec { Type = "dense" },
        ],
    };

    private static Recipe Plain(int seed) => new()
    {
        Model = "adv-cnn", Epochs = 6, BatchSize = 64, Optimizer = "adam", LearningRate = 0.01, ValidationFraction = 0, Seed = seed,
    };

    private static readonly AdversarialOptions Pgd = new() { Method = "pgd", Epsilon = 0.1, Steps = 5 };

    [Fact]
    public void TheBatchItTrainsOnStaysInTheBallAndThePixelRangeAndLeavesBatchNormAlone()
    {
        manual_seed(1);
        using var model = ModelBuilder.Build(Cnn());
        using var data = Images(64, seed: 2);
        using var step = AdversarialStep.Create(model, new ClassificationStep(0), Pgd);
        using var space = new PixelSpace(Pixels01, 1);
        using var random = new Generator(3);
        var statistics = model.buffers().Select(b => b.clone()).ToList();

        var adversarial = step.Perturb(model, data.Features, data.Labels, random);

        var (clean, moved) = (space.ToPixels(data.Features), space.ToPixels(adversarial));
        var distance = (moved - clean).abs().max().item<float>();
        Assert.InRange(distance, 0.09f, 0.1f + 1e-5f); // it moved, by at most ε (1e-5: float32 round trip through normalisation)
        Assert.True(space.ToInputs(clean).allclose(data.Features, atol: 1e-5), "the pixel mapping inverts the normalisation");
        var raw = adversarial * 0.25f + 0.5f; // pixels before any clamping by ToPixels
        Assert.True(raw.min().item<float>() >= -1e-5f && raw.max().item<float>() <= 1 + 1e-5f, "adversarial pixels stay in [0, 1]");
        Assert.All(model.buffers().Zip(statistics), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0), "the attack runs in eval mode: batch norm statistics untouched"));
    }

    [Theory]
    [InlineData("pgd")]
    [InlineData("fgsm")] // Wong et al.'s fast training: one step of 1.25ε from a random start
    public void ATinyAdversariallyTrainedModelResistsPgdWhereTheNormallyTrainedOneFails(string method)
    {
        // PGD-5 training checked with seeds 1-6 (1,024 or 512 training images): normal PGD accuracy 0-0.5%, adversarially trained 87-92%; FGSM with seed 2.
        const int seed = 2;
        using var train = Images(512, seed);
        using var test = Images(200, seed + 100);

        var normal = RobustAccuracy(Plain(seed), train, test);
        var robust = RobustAccuracy(Plain(seed) with { Adversarial = method == "pgd" ? Pgd : new AdversarialOptions { Method = "fgsm", Epsilon = 0.1 } }, train, test);

        // The normal model rides the fragile pixels: near-perfect clean, broken at ε 0.1. The robust one reads the column (90% agreement).
        Assert.True(normal.Clean > 0.95, $"normal clean {normal.Clean}");
        Assert.True(normal.Pgd < 0.5, $"normal PGD {normal.Pgd}");
        Assert.True(robust.Pgd > 0.8, $"robust PGD {robust.Pgd}");
        Assert.True(robust.Pgd > normal.Pgd + 0.3, $"robust {robust.Pgd} vs normal {normal.Pgd}");
    }

    private static (double Clean, double Pgd) RobustAccuracy(Recipe recipe, TensorDataset train, TensorDataset test)
    {
        manual_seed(recipe.Seed);
        using var model = ModelBuilder.Build(Cnn());
        using var step = recipe.Adversarial is { } options ? AdversarialStep.Create(model, new ClassificationStep(0), options) : null;
        new Trainer(model, recipe, [], step).Fit(train);
        var report = RobustnessEvaluation.Run(model, Pixels01, test, AttackNorm.Linf, [0.1], steps: 10, limit: test.Count, seed: 1);
        return (report.CleanAccuracy, report.Points[0].PgdAccuracy);
    }

    [Fact]
    public void FastFgsmTakesOneRandomStartedStepOfOneAndAQuarterEpsilon()
    {
        var attack = new AdversarialOptions { Method = "fgsm", Epsilon = 0.1 }.ToAttack();
        Assert.Equal((1, 0.125, true), (attack.Steps, attack.StepSize, attack.RandomStart));
        var pgd = new AdversarialOptions { Epsilon = 0.1 }.ToAttack();
        Assert.Equal((AttackNorm.Linf, 7, 2.5 * 0.1 / 7), (pgd.Norm, pgd.Steps, pgd.StepSize));
    }

    [Theory]
    [InlineData("{\"epsilon\": 0}", "adversarial.epsilon must be above 0 and at most 1")]
    [InlineData("{\"epsilon\": 1.5}", "adversarial.epsilon must be above 0 and at most 1")]
    [InlineData("{}", "adversarial.epsilon must be above 0")]
    [InlineData("{\"epsilon\": 0.1, \"steps\": 0}", "adversarial.steps must be 1 or more")]
    [InlineData("{\"epsilon\": 0.1, \"method\": \"cw\"}", "adversarial.method 'cw' is unknown; use pgd or fgsm")]
    [InlineData("{\"epsilon\": 0.1, \"norm\": \"l1\"}", "adversarial.norm 'l1' is unknown; use linf or l2")]
    [InlineData("{\"epsilon\": 0.1, \"method\": \"fgsm\", \"steps\": 3}", "fgsm takes one step")]
    [InlineData("{\"epsilon\": 0.1, \"step_size\": -1}", "adversarial.step_size must be positive")]
    [InlineData("{\"epsilon\": 0.1}, \"privacy\": {\"epsilon\": 3}", "adversarial training cannot be combined with privacy")]
    public void BadSettingsAreOneClearError(string section, string expected)
    {
        var recipe = Recipe.FromJson($"{{\"adversarial\": {section}}}");
        var error = Assert.Throws<ArgumentException>(recipe.Validate);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void TheRecipeSectionParsesAndRoundTrips()
    {
        var recipe = Recipe.FromJson("""{"epochs": 3, "adversarial": {"method": "fgsm", "norm": "l2", "epsilon": 1.5, "step_size": 0.5, "random_start": false}}""");

        Assert.Equal(new AdversarialOptions { Method = "fgsm", Norm = "l2", Epsilon = 1.5, StepSize = 0.5, RandomStart = false }, recipe.Adversarial);
        recipe.Validate(); // an L2 ball may be wider than 1
        Assert.Equal(recipe, Recipe.FromJson(recipe.ToJson()));
        Assert.Contains("eps", Assert.Throws<InvalidDataException>(() => Recipe.FromJson("""{"adversarial": {"epsilon": 0.1, "eps": 0.1}}""")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataAndModelsItCannotAttackAreRefusedBeforeTraining()
    {
        using var vectors = new TensorDataset(randn(8, 4), zeros(8, dtype: int64), ["a", "b"]);
        Assert.Contains("for image classifiers", Assert.Throws<ArgumentException>(() => AdversarialStep.Check(Cnn(), Pgd, vectors)).Message, StringComparison.Ordinal);
        using var images = Images(8, seed: 1);
        Assert.Contains("no preprocessing", Assert.Throws<ArgumentException>(() => AdversarialStep.Check(Cnn() with { Preprocessing = null }, Pgd, images)).Message, StringComparison.Ordinal);

        // The first convolution's input gradient is what the attack follows, so its filter count is guarded too.
        if (ConvolutionGradientCheck.MachineIsAffected)
        {
            var error = Assert.Throws<ArgumentException>(() => AdversarialStep.Check(Cnn(filters: 8), Pgd, images));
            Assert.Contains("Layer 0 (conv2d) has 8 filters", error.Message, StringComparison.Ordinal);
            Assert.Contains("attacks on the input would follow wrong gradients", error.Message, StringComparison.Ordinal);
        }
        else
        {
            AdversarialStep.Check(Cnn(filters: 8), Pgd, images);
        }
    }
}
