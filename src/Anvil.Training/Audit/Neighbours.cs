using static TorchSharp.torch;

namespace Anvil.Training.Audit;

/// <summary>
/// Each example's nearest neighbours among the others by Euclidean distance of its standardised features (centred,
/// divided by their overall standard deviation): the basis of the near-duplicate and the out-of-distribution checks.
/// The search runs after a random Gaussian projection onto <see cref="ProjectedDimensions"/> dimensions, which keeps
/// distances within a few percent (Johnson–Lindenstrauss), so 60,000 images compare in seconds; a pair reported as a
/// near-duplicate is then measured on the full features.
/// </summary>
public static class Neighbours
{
    /// <summary>Dimensions of the random projection the search runs in.</summary>
    public const int ProjectedDimensions = 64;

    private const int RowsPerBlock = 256;

    /// <summary>(N × <paramref name="k"/>) indexes of each example's nearest other examples, nearest first, with their (projected) distances.</summary>
    /// <param name="standardised">(N, F) features from <see cref="Standardise"/>.</param>
    public static (long[] Indexes, float[] Distances) Nearest(Tensor standardised, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(standardised);
        var n = standardised.shape[0];
        if (n < 2)
            throw new ArgumentException("Finding neighbours needs at least two examples.", nameof(standardised));
        k = (int)Math.Min(k, n - 1);
        var indexes = new long[n * k];
        var distances = new float[n * k];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var features = standardised.shape[1];
        var dimensions = Math.Min(ProjectedDimensions, features);
        var projected = dimensions < features
            ? standardised.matmul(randn(features, dimensions, generator: new Generator((ulong)seed)).div_(Math.Sqrt(dimensions)))
            : standardised;
        var norms = projected.square().sum(dim: 1); // (N)
        for (long start = 0; start < n; start += RowsPerBlock)
        {
            using var block = NewDisposeScope();
            var rows = Math.Min(RowsPerBlock, n - start);
            var squared = norms.narrow(0, start, rows).unsqueeze(1) + norms.unsqueeze(0) - (2 * projected.narrow(0, start, rows).matmul(projected.T)); // (rows, N)
            squared.narrow(1, start, rows).diagonal().fill_(float.PositiveInfinity); // never one's own neighbour
            var (values, positions) = squared.topk(k, dim: 1, largest: false);
            values.clamp_min_(0).sqrt_().data<float>().CopyTo(distances, (int)(start * k));
            positions.data<long>().CopyTo(indexes, (int)(start * k));
        }

        return (indexes, distances);
    }

    /// <summary>Euclidean distance of two examples on their full standardised features.</summary>
    public static float Distance(Tensor standardised, long a, long b)
    {
        ArgumentNullException.ThrowIfNull(standardised);
        using var scope = NewDisposeScope();
        return (standardised[a] - standardised[b]).norm().item<float>();
    }

    /// <summary>(N, F) features flattened, centred on their mean and divided by their overall standard deviation; the caller disposes.</summary>
    public static Tensor Standardise(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var scope = NewDisposeScope();
        var flat = features.reshape(features.shape[0], -1).to_type(ScalarType.Float32);
        var centred = flat - flat.mean([0], keepdim: true);
        var spread = centred.std().item<float>();
        return (spread > 0 ? centred / spread : centred).MoveToOuterDisposeScope();
    }
}
