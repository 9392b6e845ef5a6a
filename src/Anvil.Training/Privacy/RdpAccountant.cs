using MathNet.Numerics;

namespace Anvil.Training.Privacy;

/// <summary>
/// The privacy spent by DP-SGD: Rényi differential privacy of the Poisson-subsampled Gaussian mechanism
/// (Mironov, Talwar and Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism", §3.3),
/// composed over steps by adding RDP, and turned into (ε, δ) with the conversion of Balle et al. 2020
/// ("Hypothesis Testing Interpretations and Renyi Differential Privacy", Thm. 21), the accountant Opacus and
/// TensorFlow Privacy use.
/// </summary>
/// <example>
/// <code>
/// var (epsilon, order) = RdpAccountant.Epsilon(q: 256.0 / 60_000, noiseMultiplier: 1.1, steps: 14_063, delta: 1e-5);
/// double sigma = RdpAccountant.NoiseMultiplier(targetEpsilon: 3, delta: 1e-5, q: 256.0 / 60_000, steps: 2_344);
/// </code>
/// </example>
public static class RdpAccountant
{
    /// <summary>The orders α tried: fine steps near 1 (large ε), every integer to 63, then a few large ones (tiny ε).</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, .. Enumerable.Range(5, 59).Select(i => (double)i), 128, 256, 512];

    /// <summary>ε at <paramref name="delta"/> after <paramref name="steps"/> steps, and the order that gave it.</summary>
    /// <param name="q">Poisson sampling rate: expected batch size / dataset size, in [0, 1].</param>
    /// <param name="noiseMultiplier">σ: the noise's standard deviation over the clipping norm.</param>
    public static (double Epsilon, double Order) Epsilon(double q, double noiseMultiplier, long steps, double delta, IReadOnlyList<double>? orders = null)
    {
        orders ??= DefaultOrders;
        var rdp = orders.Select(order => Rdp(q, noiseMultiplier, order) * steps).ToArray();
        return ToEpsilon(orders, rdp, delta);
    }

    /// <summary>The smallest σ (to 0.1%) whose ε after <paramref name="steps"/> steps is at most <paramref name="targetEpsilon"/>.</summary>
    public static double NoiseMultiplier(double targetEpsilon, double delta, double q, long steps)
    {
        if (!(targetEpsilon > 0) || !double.IsFinite(targetEpsilon))
            throw new ArgumentOutOfRangeException(nameof(targetEpsilon), targetEpsilon, "ε must be a positive number, e.g. 3.");
        double low = 0, high = 10;
        while (Epsilon(q, high, steps, delta).Epsilon > targetEpsilon)
        {
            low = high;
            high *= 2;
            if (high > 1e4)
                throw new ArgumentOutOfRangeException(nameof(targetEpsilon), targetEpsilon, $"No noise reaches ε = {targetEpsilon} in {steps} steps at sampling rate {q:G3}; train fewer epochs, sample less or allow a larger ε.");
        }
        while (high - low > high * 1e-3)
        {
            var middle = (low + high) / 2;
            if (Epsilon(q, middle, steps, delta).Epsilon > targetEpsilon)
                low = middle;
            else
                high = middle;
        }
        return high;
    }

    /// <summary>RDP of one step at order <paramref name="order"/> &gt; 1.</summary>
    public static double Rdp(double q, double noiseMultiplier, double order)
    {
        if (q is < 0 or > 1 || double.IsNaN(q))
            throw new ArgumentOutOfRangeException(nameof(q), q, "The sampling rate must be in [0, 1].");
        if (!(noiseMultiplier >= 0))
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "The noise multiplier must be 0 or more.");
        if (!(order > 1))
            throw new ArgumentOutOfRangeException(nameof(order), order, "RDP orders must be above 1.");
        if (q == 0)
            return 0;
        if (noiseMultiplier == 0 || double.IsPositiveInfinity(order))
            return double.PositiveInfinity;
        if (q == 1)
            return order / (2 * noiseMultiplier * noiseMultiplier); // the Gaussian mechanism without sampling
        var logA = order == Math.Floor(order) ? LogAIntegerOrder(q, noiseMultiplier, (int)order) : LogAFractionalOrder(q, noiseMultiplier, order);
        return logA / (order - 1);
    }

    /// <summary>(ε, order) from RDP at each order: ε(α) = rdp + log((α−1)/α) − (log δ + log α)/(α−1), the smallest over α.</summary>
    public static (double Epsilon, double Order) ToEpsilon(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta)
    {
        if (!(delta is > 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1), e.g. 1e-5.");
        var best = (Epsilon: double.PositiveInfinity, Order: double.NaN);
        for (var i = 0; i < orders.Count; i++)
        {
            var (alpha, r) = (orders[i], rdp[i]);
            if (r < 0)
                throw new ArgumentOutOfRangeException(nameof(rdp), r, "RDP cannot be negative.");
            var epsilon = delta * delta + Math.Exp(-r) - 1 >= 0
                ? 0 // δ alone already covers it
                : r + Math.Log((alpha - 1) / alpha) - (Math.Log(delta) + Math.Log(alpha)) / (alpha - 1);
            if (epsilon < best.Epsilon)
                best = (Math.Max(0, epsilon), alpha);
        }
        return best;
    }

    // log A_α for integer α: Σ_k C(α, k) (1−q)^(α−k) q^k exp((k² − k) / (2σ²)).
    private static double LogAIntegerOrder(double q, double sigma, int alpha)
    {
        var logA = double.NegativeInfinity;
        for (var k = 0; k <= alpha; k++)
        {
            var logBinomial = SpecialFunctions.GammaLn(alpha + 1) - SpecialFunctions.GammaLn(k + 1) - SpecialFunctions.GammaLn(alpha - k + 1);
            var term = logBinomial + k * Math.Log(q) + (alpha - k) * Math.Log(1 - q) + (k * (double)k - k) / (2 * sigma * sigma);
            logA = LogAdd(logA, term);
        }
        return logA;
    }

    // log A_α for fractional α: the two series of Mironov et al. §3.3 split at z0, summed until their terms are negligible.
    private static double LogAFractionalOrder(double q, double sigma, double alpha)
    {
        double logA0 = double.NegativeInfinity, logA1 = double.NegativeInfinity;
        var z0 = sigma * sigma * Math.Log(1 / q - 1) + 0.5;
        double logCoefficient = 0; // log |C(α, i)|, updated term by term
        var positive = true;
        for (var i = 0; ; i++)
        {
            if (i > 0)
            {
                var factor = (alpha - (i - 1)) / i;
                logCoefficient += Math.Log(Math.Abs(factor));
                positive ^= factor < 0;
            }
            var j = alpha - i;
            var logT0 = logCoefficient + i * Math.Log(q) + j * Math.Log(1 - q);
            var logT1 = logCoefficient + j * Math.Log(q) + i * Math.Log(1 - q);
            var logE0 = Math.Log(0.5) + LogErfc((i - z0) / (Math.Sqrt(2) * sigma));
            var logE1 = Math.Log(0.5) + LogErfc((z0 - j) / (Math.Sqrt(2) * sigma));
            var logS0 = logT0 + (i * (double)i - i) / (2 * sigma * sigma) + logE0;
            var logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (positive)
            {
                logA0 = LogAdd(logA0, logS0);
                logA1 = LogAdd(logA1, logS1);
            }
            else
            {
                logA0 = LogSubtract(logA0, logS0);
                logA1 = LogSubtract(logA1, logS1);
            }
            if (Math.Max(logS0, logS1) < -30 || i > 100_000)
                break;
        }
        return LogAdd(logA0, logA1);
    }

    /// <summary>log erfc(x) without underflow: the asymptotic series where erfc would round to zero.</summary>
    internal static double LogErfc(double x)
    {
        if (x < 20)
            return Math.Log(SpecialFunctions.Erfc(x));
        var inverse = 1 / (x * x);
        return -x * x - Math.Log(x) - 0.5 * Math.Log(Math.PI)
            + Math.Log(1 - inverse / 2 + 3 * inverse * inverse / 4 - 15 * inverse * inverse * inverse / 8 + 105 * Math.Pow(inverse, 4) / 16);
    }

    private static double LogAdd(double a, double b)
    {
        var (high, low) = a >= b ? (a, b) : (b, a);
        return double.IsNegativeInfinity(low) ? high : high + Math.Log(1 + Math.Exp(low - high));
    }

    private static double LogSubtract(double a, double b)
    {
        if (double.IsNegativeInfinity(b))
            return a;
        if (b == a)
            return double.NegativeInfinity;
        if (b > a)
            throw new InvalidOperationException("The RDP series lost precision (a partial sum fell below its next term); use integer orders for this sampling rate and noise.");
        return a + Math.Log(-SpecialFunctions.Expm1(b - a));
    }
}
