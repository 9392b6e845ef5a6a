using Anvil.Registry.Models;
using Anvil.Training.Retraining;
using Anvil.Training.Runs;

namespace Anvil.Cli.Pipeline;

/// <summary>What a retrain did: the run, the challenger it registered, both models' figures, the gate's verdict, the shadow replay and the feedback screen's decisions.</summary>
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
    FeedbackScreening? Screening = null);
