namespace Anvil.Training.Training;

/// <summary>
/// The recipe's <c>"privacy"</c> section: train with DP-SGD (<see cref="Privacy.DpSgdStep"/>) to an (ε, δ) budget. The noise is
/// chosen so that the planned epochs spend exactly the budget (<see cref="Privacy.RdpAccountant.NoiseMultiplier"/>), and training
/// stops before a step would spend more.
/// </summary>
/// <example>
/// <code>"privacy": {"epsilon": 3, "delta": 1e-5, "max_grad_norm": 0.1}</code>
/// </example>
public sealed record PrivacyOptions
{
    /// <summary>The ε budget; required.</summary>
    public double? Epsilon { get; init; }
    /// <summary>δ; must be below 1 / (training examples), checked when the data is known. Default 1e-5.</summary>
    public double Delta { get; init; } = 1e-5;
    /// <summary>C: each example's gradient is scaled down to at most this L2 norm before the noise N(0, σ²C²) is added.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Throws one error naming the field, its value and the valid range.</summary>
    public void Validate()
    {
        Require(Epsilon is > 0 && double.IsFinite(Epsilon.Value), $"privacy.epsilon must be a positive number, e.g. 3, got {Epsilon?.ToString() ?? "nothing"}.");
        Require(Delta is > 0 and < 1, $"privacy.delta must be in (0, 1) and below 1 / (training examples), e.g. 1e-5, got {Delta}.");
        Require(MaxGradNorm > 0 && double.IsFinite(MaxGradNorm), $"privacy.max_grad_norm must be positive, e.g. 1.0, got {MaxGradNorm}.");
    }

    /// <summary>δ must be below 1/n, or a mechanism that publishes one whole example would meet it.</summary>
    public void CheckDelta(int trainingExamples)
    {
        Require(Delta < 1.0 / trainingExamples,
            $"privacy.delta {Delta:G3} is not below 1 / {trainingExamples:N0} training examples ({1.0 / trainingExamples:G3}); such a δ allows leaking an example outright. Use e.g. {Math.Pow(10, Math.Floor(Math.Log10(0.1 / trainingExamples))):G1}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid recipe: {message}");
    }
}
