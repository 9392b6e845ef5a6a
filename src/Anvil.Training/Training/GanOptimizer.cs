using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// One network's optimiser in a recipe's <c>"gan"</c> section: Adam with its own learning rate and betas, so
/// DCGAN's β1 = 0.5 (Radford et al. 2016) is expressible.
/// </summary>
/// <example>
/// <code>"generator": {"learning_rate": 0.0002, "beta1": 0.5, "beta2": 0.999}</code>
/// </example>
public sealed record GanOptimizer
{
    /// <summary>"adam" (the only choice so far: GAN training with SGD is rarely stable).</summary>
    public string Optimizer { get; init; } = "adam";
    public double LearningRate { get; init; } = 2e-4;
    /// <summary>Adam's first-moment decay; DCGAN lowers it from 0.9 to 0.5 to damp oscillation.</summary>
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Throws one error naming the field (<paramref name="name"/> is its path, e.g. gan.generator), its value and the valid range.</summary>
    public void Validate(string name)
    {
        Require(Optimizer == "adam", $"{name}.optimizer '{Optimizer}' is unknown; use adam.");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"{name}.learning_rate must be positive, e.g. 0.0002, got {LearningRate}.");
        Require(Beta1 is >= 0 and < 1, $"{name}.beta1 must be in [0, 1), e.g. 0.5, got {Beta1}.");
        Require(Beta2 is >= 0 and < 1, $"{name}.beta2 must be in [0, 1), e.g. 0.999, got {Beta2}.");
    }

    /// <summary>Adam over <paramref name="model"/>'s parameters with these settings.</summary>
    public OptimizerHelper Create(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return optim.Adam(model.parameters(), LearningRate, Beta1, Beta2);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid recipe: {message}");
    }
}
