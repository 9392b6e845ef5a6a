using Anvil.Training.Retraining;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// What `anvil retrain` was asked: the model, the feedback split, the promotion gate (its tolerance and significance
/// level), whether to promote, the feedback screen (null trusts all feedback), and the minimums the challenger's trust
/// report must meet (<c>--require</c>).
/// </summary>
internal sealed record RetrainOptions(string OrganizationId, string Model, double HeldOut, int Seed, PromotionGate Gate, bool Promote, int Shadow, FeedbackScreen? Screen)
{
    public IReadOnlyList<Anvil.Registry.Versions.TrustRequirement> Requirements { get; init; } = [];
}
