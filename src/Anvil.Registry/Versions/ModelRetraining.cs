namespace Anvil.Registry.Versions;

/// <summary>
/// Lineage of a version retrained on feedback (<c>anvil retrain</c>): the champion it challenges, pinned by its
/// manifest digest, the champion's run and dataset, and which feedback it learnt from (a hash over the
/// feedback items' prediction ids and labels, in order) and which it was judged on (held out, never trained on).
/// The run that trained it and the new dataset version are the manifest's own <c>run_id</c> and <c>dataset_hash</c>.
/// </summary>
public sealed record ModelRetraining(
    int ChampionVersion,
    string ChampionDigest,
    string? ChampionRunId,
    string? ChampionDatasetHash,
    int FeedbackTrained,
    int FeedbackHeldOut,
    string FeedbackHash,
    double HeldOutFraction,
    int Seed);
