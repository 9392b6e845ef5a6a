namespace Anvil.Training.Retraining;

/// <summary>A <see cref="PromotionGate"/>'s verdict with every figure it used; <see cref="Reasons"/> names each failed condition.</summary>
/// <param name="Promote">True when every condition held.</param>
/// <param name="Reasons">One sentence per failed condition, with its numbers; empty when promoted.</param>
/// <param name="TestDropPoints">Champion minus challenger test accuracy, in percentage points (negative: the challenger is better).</param>
/// <param name="ChampionHeldOutAccuracy">Champion's accuracy on the held-out feedback, 0 to 1.</param>
/// <param name="ChallengerHeldOutAccuracy">Challenger's accuracy on the held-out feedback, 0 to 1.</param>
/// <param name="OnlyChallengerCorrect">Held-out items only the challenger got right.</param>
/// <param name="OnlyChampionCorrect">Held-out items only the champion got right.</param>
/// <param name="PValue">McNemar's exact two-sided p-value on the held-out feedback.</param>
/// <param name="TooSmall">True when the held-out slice has fewer items than the fewest discordant pairs that could reach significance.</param>
public sealed record GateDecision(
    bool Promote,
    IReadOnlyList<string> Reasons,
    double TestDropPoints,
    double ChampionHeldOutAccuracy,
    double ChallengerHeldOutAccuracy,
    int OnlyChallengerCorrect,
    int OnlyChampionCorrect,
    double PValue,
    bool TooSmall);
