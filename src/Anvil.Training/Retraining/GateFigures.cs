namespace Anvil.Training.Retraining;

/// <summary>What a <see cref="PromotionGate"/> judges: both models scored through ONNX Runtime on the same items.</summary>
/// <param name="ChampionTestAccuracy">Champion's accuracy on the original test set, 0 to 1.</param>
/// <param name="ChallengerTestAccuracy">Challenger's accuracy on the same test set, 0 to 1.</param>
/// <param name="ChampionHeldOutCorrect">Per held-out feedback item: did the champion predict the feedback label?</param>
/// <param name="ChallengerHeldOutCorrect">The same for the challenger, item for item.</param>
public sealed record GateFigures(
    double ChampionTestAccuracy,
    double ChallengerTestAccuracy,
    IReadOnlyList<bool> ChampionHeldOutCorrect,
    IReadOnlyList<bool> ChallengerHeldOutCorrect);
