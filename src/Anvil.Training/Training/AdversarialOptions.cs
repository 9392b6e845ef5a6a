using System.Globalization;
using Anvil.Training.Robustness;

namespace Anvil.Training.Training;

/// <summary>
/// The recipe's <c>"adversarial"</c> section: train on adversarial examples (<see cref="AdversarialStep"/>) found within
/// an ε-ball around each training image, pixels scaled to [0, 1]. <c>pgd</c> is Madry et al. 2018 (a random start, then
/// <see cref="Steps"/> steps of 2.5ε / steps); <c>fgsm</c> is Wong et al. 2020's "fast is better than free" (a random start,
/// then one step of 1.25ε), about four times cheaper than PGD-7.
/// </summary>
/// <example>
/// <code>"adversarial": {"method": "pgd", "norm": "linf", "epsilon": 0.1, "steps": 7}</code>
/// </example>
public sealed record AdversarialOptions
{
    /// <summary>The attack trained against; used when <see cref="Steps"/> is not given.</summary>
    public const int DefaultPgdSteps = 7;

    /// <summary>"pgd" or "fgsm".</summary>
    public string Method { get; init; } = "pgd";
    /// <summary>"linf" (every pixel moves at most ε) or "l2" (the perturbation's length is at most ε).</summary>
    public string Norm { get; init; } = "linf";
    /// <summary>The radius of the ball on pixels scaled to [0, 1]; required.</summary>
    public double? Epsilon { get; init; }
    /// <summary>PGD's steps (default 7); FGSM takes exactly one.</summary>
    public int? Steps { get; init; }
    /// <summary>Each step's size; default 2.5ε / steps for PGD and 1.25ε for FGSM.</summary>
    public double? StepSize { get; init; }
    /// <summary>Start from a uniform point of the ball instead of the clean image (FGSM without it overfits to a weak attack, Wong et al. 2020).</summary>
    public bool RandomStart { get; init; } = true;

    /// <summary>Throws one error naming the field, its value and the valid range.</summary>
    public void Validate()
    {
        var epsilon = Epsilon?.ToString(CultureInfo.InvariantCulture) ?? "nothing";
        Require(Method is "pgd" or "fgsm", $"adversarial.method '{Method}' is unknown; use pgd or fgsm.");
        Require(Norm is "linf" or "l2", $"adversarial.norm '{Norm}' is unknown; use linf or l2.");
        Require(Epsilon is > 0 && double.IsFinite(Epsilon.Value) && (Norm != "linf" || Epsilon <= 1),
            $"adversarial.epsilon must be above 0{(Norm == "linf" ? " and at most 1 (pixels are scaled to [0, 1])" : "")}, e.g. 0.1, got {epsilon}.");
        Require(Steps is null or >= 1, $"adversarial.steps must be 1 or more, e.g. 7, got {Steps}.");
        Require(Method == "pgd" || Steps is null or 1, $"adversarial.steps is {Steps}, but fgsm takes one step; remove steps or use \"method\": \"pgd\".");
        Require(StepSize is null || (StepSize > 0 && double.IsFinite(StepSize.Value)), $"adversarial.step_size must be positive, got {StepSize?.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>The attack each training batch is perturbed with.</summary>
    public Attack ToAttack()
    {
        Validate();
        var epsilon = Epsilon!.Value;
        var steps = Method == "fgsm" ? 1 : Steps ?? DefaultPgdSteps;
        var stepSize = StepSize ?? (Method == "fgsm" ? 1.25 * epsilon : 2.5 * epsilon / steps);
        return new Attack(Norm == "l2" ? AttackNorm.L2 : AttackNorm.Linf, epsilon, steps, stepSize, RandomStart);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid recipe: {message}");
    }
}
