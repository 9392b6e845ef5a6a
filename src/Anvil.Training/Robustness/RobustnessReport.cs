namespace Anvil.Training.Robustness;

/// <summary>Accuracy under attack at one ε: FGSM, PGD, and PGD with four times the steps (a check, not a stronger claim).</summary>
public sealed record RobustPoint(double Epsilon, double FgsmAccuracy, double PgdAccuracy, double PgdMoreStepsAccuracy);

/// <summary>
/// What the attacks found on <see cref="Samples"/> test inputs. Robust accuracies are empirical upper bounds: they hold
/// against these attacks only. <see cref="Warnings"/> name signs of gradient masking, under which they mean little.
/// </summary>
public sealed record RobustnessReport(
    AttackNorm Norm, int Steps, int Samples, double CleanAccuracy, IReadOnlyList<RobustPoint> Points,
    double UnboundedAccuracy, IReadOnlyList<string> Warnings);
