namespace Anvil.Training.Tuning;

/// <summary>The standard normal's cumulative distribution, which .NET's Math lacks.</summary>
internal static class NormalDistribution
{
    /// <summary>P(Z ≤ z) for a standard normal Z, with about 1e-7 relative accuracy in the tails.</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>log of the standard normal density at z.</summary>
    public static double LogPdf(double z) => -0.5 * z * z - 0.5 * Math.Log(2 * Math.PI);

    // erfc(x) = t·exp(-x² + P(t)) with t = 1/(1 + x/2): a Chebyshev fit (Numerical Recipes §6.2) whose
    // fractional error stays under 1.2e-7 for every x ≥ 0, so the tails keep their relative precision.
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var p = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        var value = t * Math.Exp(p);
        return x >= 0 ? value : 2 - value;
    }
}
