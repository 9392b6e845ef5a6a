using System.Globalization;
using Anvil.Training.Metrics;

namespace Anvil.Training.Retraining;

/// <summary>
/// Decides whether a retrained challenger replaces the champion (decision 0010): it must not be worse on the
/// original test set by more than <paramref name="TolerancePoints"/> percentage points, and it must be
/// significantly better on the held-out feedback — McNemar's exact test p &lt; <paramref name="Alpha"/> with more
/// items only it gets right than items only the champion gets right.
/// </summary>
/// <example>
/// <code>GateDecision d = new PromotionGate().Judge(figures);   // d.Promote, or d.Reasons says why not</code>
/// </example>
public sealed record PromotionGate(double TolerancePoints = PromotionGate.DefaultTolerancePoints, double Alpha = PromotionGate.DefaultAlpha)
{
    /// <summary>The default of <c>--tolerance</c>: percentage points of test accuracy the challenger may lose.</summary>
    public const double DefaultTolerancePoints = 0.5;

    /// <summary>The default of <c>--significance</c>: the McNemar level the held-out gain must reach.</summary>
    public const double DefaultAlpha = 0.05;

    // A gate out of range cannot be made (nor copied with `with`), so `retrain` refuses it before anything is trained
    // and Judge never checks again.

    /// <exception cref="ArgumentException">Negative.</exception>
    public double TolerancePoints { get; init => field = InRange(value); } = InRange(TolerancePoints);

    /// <exception cref="ArgumentException">Not strictly between 0 and 1.</exception>
    public double Alpha { get; init => field = LevelInRange(value); } = LevelInRange(Alpha);

    private static double InRange(double points) => points >= 0
        ? points
        : throw new ArgumentException($"--tolerance must be 0 or more percentage points (e.g. 0.5); got {points}.");

    private static double LevelInRange(double alpha) => alpha is > 0 and < 1
        ? alpha
        : throw new ArgumentException($"--significance must lie strictly between 0 and 1, e.g. 0.05 or 0.01; got {alpha}.");

    /// <summary>The fewest discordant pairs that can reach p &lt; <see cref="Alpha"/> (all on one side): 6 for 0.05.</summary>
    public int MinimumDiscordant
    {
        get
        {
            var n = 1;
            while (McNemar.PValue(n, 0) >= Alpha)
                n++;
            return n;
        }
    }

    public GateDecision Judge(GateFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var test = McNemar.Compare(figures.ChallengerHeldOutCorrect, figures.ChampionHeldOutCorrect);
        var count = figures.ChampionHeldOutCorrect.Count;
        var champion = Share(figures.ChampionHeldOutCorrect);
        var challenger = Share(figures.ChallengerHeldOutCorrect);
        var drop = (figures.ChampionTestAccuracy - figures.ChallengerTestAccuracy) * 100;
        var minimum = MinimumDiscordant;
        var tooSmall = count < minimum;
        var reasons = new List<string>();
        if (drop > TolerancePoints)
            reasons.Add(Say($"test accuracy fell {drop:0.##} points ({figures.ChampionTestAccuracy * 100:0.00}% → {figures.ChallengerTestAccuracy * 100:0.00}%), more than the tolerance of {TolerancePoints:0.##}"));
        if (tooSmall)
            reasons.Add(Say($"the held-out feedback has {count} items; McNemar's test needs at least {minimum} discordant items to reach p < {Alpha}, so it cannot show a difference. Collect more feedback or raise --held-out"));
        else if (test.OnlyFirstCorrect <= test.OnlySecondCorrect)
            reasons.Add(Say($"on held-out feedback the challenger is not better ({challenger * 100:0.00}% vs the champion's {champion * 100:0.00}%; only it right on {test.OnlyFirstCorrect}, only the champion on {test.OnlySecondCorrect}; p = {test.PValue:G3})"));
        else if (test.PValue >= Alpha)
            reasons.Add(Say($"on held-out feedback the challenger's gain ({champion * 100:0.00}% → {challenger * 100:0.00}%; only it right on {test.OnlyFirstCorrect}, only the champion on {test.OnlySecondCorrect}) is not significant: McNemar p = {test.PValue:G3}, not < {Alpha}"));
        return new GateDecision(reasons.Count == 0, reasons, drop, champion, challenger, test.OnlyFirstCorrect, test.OnlySecondCorrect, test.PValue, tooSmall);
    }

    private static double Share(IReadOnlyList<bool> correct) => correct.Count == 0 ? 0 : (double)correct.Count(c => c) / correct.Count;

    private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
