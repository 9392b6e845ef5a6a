namespace Anvil.Training.Training;

/// <summary>
/// The recipe's <c>"gan"</c> section: train a DCGAN generator on the data's images (labels unused) with
/// <see cref="GanStep"/>. Both optimisers must be given; the top-level optimizer and learning_rate do not apply.
/// </summary>
/// <example>
/// <code>
/// "gan": {"noise": 100, "generator": {"learning_rate": 0.0002, "beta1": 0.5},
///         "discriminator": {"learning_rate": 0.0002, "beta1": 0.5}, "judge_epochs": 2, "samples": 2000}
/// </code>
/// </example>
public sealed record GanOptions
{
    /// <summary>The generator's optimiser; required.</summary>
    public GanOptimizer? Generator { get; init; }
    /// <summary>The discriminator's optimiser; required.</summary>
    public GanOptimizer? Discriminator { get; init; }
    /// <summary>Trains on the first N training images (a budget for small machines); null takes all of them.</summary>
    public int? TrainImages { get; init; }
    /// <summary>Z, the length of the generator's noise vector.</summary>
    public int Noise { get; init; } = 100;
    /// <summary>Epochs of the judge, a seed-cnn classifier trained on the run's real training images whose features the Fréchet distance compares.</summary>
    public int JudgeEpochs { get; init; } = 2;
    /// <summary>Generated and real test images compared each epoch (Fréchet distance and class coverage).</summary>
    public int Samples { get; init; } = 2000;

    /// <summary>Throws one error naming the field, its value and the valid range.</summary>
    public void Validate()
    {
        const string Example = "{\"learning_rate\": 0.0002, \"beta1\": 0.5, \"beta2\": 0.999}";
        Require(Generator is not null, $"gan.generator is missing; a GAN trains two networks and needs both optimisers, e.g. \"generator\": {Example}.");
        Require(Discriminator is not null, $"gan.discriminator is missing; a GAN trains two networks and needs both optimisers, e.g. \"discriminator\": {Example}.");
        Generator!.Validate("gan.generator");
        Discriminator!.Validate("gan.discriminator");
        Require(TrainImages is null or >= 2, $"gan.train_images must be 2 or more, or left out to take all, got {TrainImages}.");
        Require(Noise is >= 1 and <= 4096, $"gan.noise must be in [1, 4096], e.g. 100, got {Noise}.");
        Require(JudgeEpochs is >= 1 and <= 100, $"gan.judge_epochs must be in [1, 100], e.g. 2, got {JudgeEpochs}.");
        Require(Samples is >= 100 and <= 100_000, $"gan.samples must be in [100, 100000] (the Fréchet distance needs many more samples than features), got {Samples}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid recipe: {message}");
    }
}
