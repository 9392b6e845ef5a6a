namespace Anvil.Training.Metrics;

/// <summary>
/// McNemar's exact test: do two classifiers scored on the same test items differ in accuracy by more than chance?
/// Only the items where exactly one of them is right count: <c>b</c> where only the first is, <c>c</c> where only
/// the second is. Under "no difference" each such item is a fair coin, so the two-sided p-value is a binomial tail.
/// </summary>
/// <example>
/// <code>var test = McNemar.Compare(modelCorrect, baselineCorrect);   // test.PValue &lt; 0.05: a real difference</code>
/// </example>
public static class McNemar
{
    /// <summary>Compares per-item correctness of two classifiers on the same items.</summary>
    public static McNemarResult Compare(IReadOnlyList<bool> firstCorrect, IReadOnlyList<bool> secondCorrect)
    {
        ArgumentNullException.ThrowIfNull(firstCorrect);
        ArgumentNullException.ThrowIfNull(secondCorrect);
        if (firstCorrect.Count != secondCorrect.Count)
            throw new ArgumentException($"{firstCorrect.Count} and {secondCorrect.Count} items: both classifiers must be scored on the same items.", nameof(secondCorrect));
        int onlyFirst = 0, onlySecond = 0;
        for (var i = 0; i < firstCorrect.Count; i++)
        {
            if (firstCorrect[i] && !secondCorrect[i])
                onlyFirst++;
            else if (!firstCorrect[i] && secondCorrect[i])
                onlySecond++;
        }

        return new McNemarResult(onlyFirst, onlySecond, PValue(onlyFirst, onlySecond));
    }

    /// <summary>Two-sided exact p-value: 2 × P(X ≤ min(b, c)) for X ~ Binomial(b + c, 1/2), capped at 1.</summary>
    internal static double PValue(int b, int c)
    {
        var n = b + c;
        if (n == 0)
            return 1;
        var k = Math.Min(b, c);
        var logHalfPowN = n * Math.Log(0.5);
        var logChoose = 0.0; // log C(n, 0)
        var tail = 0.0;
        for (var i = 0; i <= k; i++)
        {
            if (i > 0)
                logChoose += Math.Log(n - i + 1) - Math.Log(i);
            tail += Math.Exp(logChoose + logHalfPowN);
        }

        return Math.Min(1, 2 * tail);
    }
}

/// <summary>The counts and p-value of <see cref="McNemar.Compare"/>.</summary>
/// <param name="OnlyFirstCorrect">Items only the first classifier got right.</param>
/// <param name="OnlySecondCorrect">Items only the second classifier got right.</param>
/// <param name="PValue">Probability of a split at least this uneven if both were equally accurate.</param>
public sealed record McNemarResult(int OnlyFirstCorrect, int OnlySecondCorrect, double PValue);
