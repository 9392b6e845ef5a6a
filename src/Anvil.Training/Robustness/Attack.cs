namespace Anvil.Training.Robustness;

/// <summary>The threat model: how far an input may move, measured in pixels scaled to [0, 1].</summary>
public enum AttackNorm
{
    /// <summary>Every pixel may move by at most ε.</summary>
    Linf,

    /// <summary>The perturbation's Euclidean length over the whole image is at most ε.</summary>
    L2,
}

/// <summary>
/// One attack: projected gradient descent (Madry et al. 2018) with <see cref="Steps"/> steps of <see cref="StepSize"/>
/// inside the ε-ball, from a random start in the ball when <see cref="RandomStart"/>; one step of size ε from the
/// clean input is FGSM (Goodfellow et al. 2015).
/// </summary>
/// <example><code>var pgd = Attack.Pgd(AttackNorm.Linf, epsilon: 0.1, steps: 20);  var fgsm = Attack.Fgsm(AttackNorm.Linf, 0.1);</code></example>
public sealed record Attack(AttackNorm Norm, double Epsilon, int Steps, double StepSize, bool RandomStart)
{
    /// <summary>Madry's step: 2.5 ε / steps, so the walk can cross the ball and back.</summary>
    public static Attack Pgd(AttackNorm norm, double epsilon, int steps) => new(norm, epsilon, steps, 2.5 * epsilon / steps, RandomStart: true);

    public static Attack Fgsm(AttackNorm norm, double epsilon) => new(norm, epsilon, 1, epsilon, RandomStart: false);

    public void Validate()
    {
        if (!(Epsilon > 0) || (Norm == AttackNorm.Linf && Epsilon > 1))
            throw new ArgumentException($"ε must be above 0{(Norm == AttackNorm.Linf ? " and at most 1 (pixels are scaled to [0, 1])" : "")}; got {Epsilon}. E.g. --eps 0.05,0.1.");
        if (Steps < 1)
            throw new ArgumentException($"An attack needs at least 1 step; got {Steps}.");
        if (!(StepSize > 0))
            throw new ArgumentException($"The step size must be above 0; got {StepSize}.");
    }
}
