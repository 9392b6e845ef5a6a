using System.Globalization;
using System.Text.RegularExpressions;

namespace Anvil.Registry.Versions;

/// <summary>
/// A minimum (or maximum) a version's <see cref="TrustReport"/> must meet to be promoted, e.g.
/// <c>robust_accuracy&gt;=0.6</c> or <c>dp_epsilon&lt;=3</c>. A figure that was not measured fails the requirement.
/// </summary>
public sealed partial record TrustRequirement(string Figure, string Operator, double Bound)
{
    /// <summary>Figures a requirement may name; robust accuracy at one norm and ε also reads as <c>robust_accuracy_linf_0.1</c>.</summary>
    public static readonly IReadOnlyList<string> Figures =
    [
        "test_accuracy", "test_macro_f1", "test_macro_auc", "test_mae", "test_rmse", "cv_mean_accuracy", "cv_std_accuracy",
        "robust_accuracy", "dp_epsilon", "dp_delta", "audit_estimated_noise_rate", "audit_label_issues",
        "audit_near_duplicates", "audit_conflicting_duplicates", "audit_outliers",
    ];

    /// <summary>Parses "figure&gt;=number" or "figure&lt;=number" (spaces allowed), naming what was wrong.</summary>
    public static TrustRequirement Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Shape().Match(text);
        if (!match.Success || !double.TryParse(match.Groups["bound"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) || !double.IsFinite(bound))
            throw new ArgumentException($"--require '{text}' is not FIGURE>=NUMBER or FIGURE<=NUMBER, e.g. robust_accuracy>=0.6 or dp_epsilon<=3.");
        var figure = match.Groups["figure"].Value;
        if (Figures.Contains(figure, StringComparer.Ordinal))
            return new TrustRequirement(figure, match.Groups["op"].Value, bound);
        if (new TrustRequirement(figure, "", 0).AttackPoint is not ({ } norm, > 0 and var epsilon))
            throw new ArgumentException($"--require names figure '{figure}', which a trust report does not hold; use one of {string.Join(", ", Figures)} or robust_accuracy_<linf|l2>_<ε> with ε > 0 (pixels scaled to 0–1).");
        // One spelling per ε (0.10 → 0.1), as ./anvil robustness records it.
        return new TrustRequirement(string.Create(CultureInfo.InvariantCulture, $"robust_accuracy_{norm}_{epsilon}"), match.Groups["op"].Value, bound);
    }

    /// <summary>Null when <paramref name="report"/> meets the requirement; otherwise why not, with the figure.</summary>
    public string? Check(TrustReport? report)
    {
        if (report?.Figure(Figure) is not { } value)
            return $"{this} is required but {Figure} was not measured for this version" + Hint();
        var met = Operator == ">=" ? value >= Bound : value <= Bound;
        return met ? null : string.Create(CultureInfo.InvariantCulture, $"{this} is required but {Figure} is {value:G4}");
    }

    /// <summary>The norm and ε a requirement like <c>robust_accuracy_linf_0.1&gt;=0.6</c> names; null for any other figure.</summary>
    public (string Norm, double Epsilon)? AttackPoint
    {
        get
        {
            var match = RobustAtEpsilon().Match(Figure);
            return match.Success && double.TryParse(match.Groups["eps"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var epsilon)
                ? (match.Groups["norm"].Value, epsilon) : null;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Figure}{Operator}{Bound:G}");

    private string Hint() => Figure switch
    {
        _ when Figure.StartsWith("robust_accuracy", StringComparison.Ordinal) => " (name an ε, e.g. robust_accuracy_linf_0.1, and retrain attacks the challenger; or attack the run with ./anvil robustness RUN and refresh the report)",
        _ when Figure.StartsWith("cv_", StringComparison.Ordinal) => " (run ./anvil cv on the same data, then refresh the report)",
        _ when Figure.StartsWith("audit_", StringComparison.Ordinal) => " (run ./anvil audit on the same data, then refresh the report)",
        _ when Figure.StartsWith("dp_", StringComparison.Ordinal) => " (it was not trained with differential privacy)",
        _ => "",
    };

    [GeneratedRegex(@"^\s*(?<figure>[a-z0-9_.]+)\s*(?<op>>=|<=)\s*(?<bound>\S+)\s*$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"^robust_accuracy_(?<norm>linf|l2)_(?<eps>[0-9.eE+-]+)$")]
    private static partial Regex RobustAtEpsilon();
}
