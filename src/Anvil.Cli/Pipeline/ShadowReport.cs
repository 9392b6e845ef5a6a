namespace Anvil.Cli.Pipeline;

/// <summary>
/// The last <see cref="Replayed"/> logged inputs replayed through champion and challenger: how often they agree, and
/// each one's accuracy on the <see cref="Labelled"/> of them that have feedback (null when none has).
/// </summary>
internal sealed record ShadowReport(int Replayed, double Agreement, int Labelled, double? ChampionAccuracy, double? ChallengerAccuracy);
