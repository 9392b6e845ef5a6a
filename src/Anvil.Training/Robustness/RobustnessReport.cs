namespace Anvil.Training.Robustness;

/// <summary>Accuracy under attack at one ε: FGSM, PGD, and PGD with four times the steps (a check, not a stronger claim).</summary>
public sealed record RobustPoint(double Epsilon, double FgsmAccuracy, double PgdAccuracy, double PgdMoreStepsAccuracy);

/// <summary>
/// What the attacks found on <see cref="Samples"/> test inputs. Robust accuracies are empirical upper bounds: they hold
/// against these attacks only. <see cref="Warnings"/> name signs of gradient masking, under which they mean little.
/// </summary>
public sealed record RobustnessReport(
    AttackNorm Norm, int Steps, int Samples, double CleanAccuracy, IReadOnlyList<RobustPoint> Points,
    double UnboundedAccuracy, IReadOnlyList<string> Warnings)
{
    /// <summary>The norm as options and metric names spell it: <c>linf</c> or <c>l2</c>.</summary>
    public string NormName => Norm == AttackNorm.L2 ? "l2" : "linf";

    /// <summary>What a run records: PGD accuracy at each ε as <c>robust_accuracy_linf_0.1</c>, ….</summary>
    public IReadOnlyDictionary<string, double> ToMetrics() =>
        Points.ToDictionary(p => $"robust_accuracy_{NormName}_{p.Epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture)}", p => p.PgdAccuracy);
}
