using Anvil.Registry.Models;
using Anvil.Training.Retraining;
using Anvil.Training.Runs;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// What a retrain did: the run, the challenger it registered, both models' figures, the gate's verdict, the
/// <c>--require</c> checks on the challenger's trust report (requirement → null when met, else why), the shadow replay
/// and the feedback screen's decisions.
/// </summary>
internal sealed record RetrainResult(
    ModelVersion Champion,
    RunSummary Run,
    ModelVersion? Challenger = null,
    int FeedbackTrained = 0,
    int FeedbackHeldOut = 0,
    double ChampionTestAccuracy = 0,
    double ChallengerTestAccuracy = 0,
    GateDecision? Gate = null,
    bool Promoted = false,
    ShadowReport? Shadow = null,
    FeedbackScreening? Screening = null,
    IReadOnlyList<(string Requirement, string? Failure)>? Requirements = null)
{
    /// <summary>Why the challenger may not be promoted: the gate's reasons, then each unmet requirement.</summary>
    public IReadOnlyList<string> Refusals => [.. Gate?.Reasons ?? [], .. (Requirements ?? []).Where(r => r.Failure is not null).Select(r => r.Failure!)];
}
