using static TorchSharp.torch;

namespace Anvil.Training.Metrics;

/// <summary>
/// The Fréchet distance between two sets of feature vectors, each taken as a Gaussian (Heusel et al. 2017, the
/// "FID" when the features are Inception's): |μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½). Computed in float64; the
/// trace of the matrix square root comes from symmetric eigen-decompositions, tr((Σ₁Σ₂)^½) = tr((Σ₁^½ Σ₂ Σ₁^½)^½),
/// with eigenvalues rounding below zero clamped to zero, so it is never complex.
/// </summary>
/// <example>
/// <code>double fid = FrechetDistance.Compute(realFeatures, generatedFeatures); // (N, D), (M, D)</code>
/// </example>
public static class FrechetDistance
{
    /// <param name="first">(N, D) features, N ≥ 2.</param>
    /// <param name="second">(M, D) features, M ≥ 2.</param>
    public static double Compute(Tensor first, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.dim() != 2 || second.dim() != 2 || first.shape[1] != second.shape[1] || first.shape[0] < 2 || second.shape[0] < 2)
            throw new ArgumentException($"Both feature sets must be (N, D) with the same D and N ≥ 2; got [{string.Join(", ", first.shape)}] and [{string.Join(", ", second.shape)}].");
        using var scope = NewDisposeScope();
        var (mean1, covariance1) = Moments(first.to(float64));
        var (mean2, covariance2) = Moments(second.to(float64));
        var root1 = SymmetricSquareRoot(covariance1); // (D, D)
        var product = root1.mm(covariance2).mm(root1); // (D, D) symmetric, positive semi-definite
        var traceRoot = linalg.eigvalsh(Symmetrize(product)).clamp_min(0).sqrt().sum().item<double>();
        var meanTerm = mean1.sub(mean2).square().sum().item<double>();
        return meanTerm + covariance1.trace().item<double>() + covariance2.trace().item<double>() - 2 * traceRoot;
    }

    /// <summary>The mean (D) and unbiased covariance (D, D) of (N, D) rows.</summary>
    private static (Tensor Mean, Tensor Covariance) Moments(Tensor x)
    {
        var mean = x.mean([0]);
        var centred = x.sub(mean);
        return (mean, centred.t().mm(centred).div(x.shape[0] - 1));
    }

    /// <summary>S^½ of a symmetric positive semi-definite S, via S = QΛQᵀ.</summary>
    private static Tensor SymmetricSquareRoot(Tensor s)
    {
        var (values, vectors) = linalg.eigh(Symmetrize(s));
        return vectors.mul(values.clamp_min(0).sqrt().unsqueeze(0)).mm(vectors.t());
    }

    private static Tensor Symmetrize(Tensor s) => s.add(s.t()).div(2);
}
