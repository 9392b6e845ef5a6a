using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// Scores a generator with a classifier trained on the same kind of images (Anvil's own, not Inception): the
/// Fréchet distance between the classifier's features of real and generated images, and the share of classes the
/// classifier finds among the generated ones (<see cref="ClassCoverage"/>). The same seeded noise every time, so
/// epochs are compared on equal terms; the real images' features are computed once.
/// </summary>
/// <example>
/// <code>var judge = new GanJudge(classifier, samples: 2000); var score = judge.Score(generator, testImages, noise: 100);</code>
/// </example>
/// <param name="classifier">A trained classifier of the real images, whose inputs are the generator's outputs; the caller owns it.</param>
/// <param name="samples">Real and generated images compared.</param>
public sealed class GanJudge(SpecModel classifier, int samples) : IDisposable
{
    private const int Batch = 256;
    private const long NoiseSeed = 20_261_201;
    private TensorDataset? _realData;
    private Tensor? _realFeatures;

    /// <summary>Fréchet distance and class coverage of the generator's images against <paramref name="real"/>'s first images.</summary>
    public GanScore Score(SpecModel generator, TensorDataset real, int noise)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(real);
        if (!ReferenceEquals(real, _realData))
        {
            _realFeatures?.Dispose();
            using var images = real.Features.narrow(0, 0, Math.Min(samples, real.Count));
            var (realFeatures, realLabels) = Features(images);
            realLabels.Dispose();
            _realFeatures = realFeatures.DetachFromDisposeScope(); // kept across epochs, whatever scope the caller runs in
            _realData = real;
        }
        generator.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = Noise(samples, noise, NoiseSeed); // (N, Z, 1, 1)
        var generated = cat(Enumerable.Range(0, (samples + Batch - 1) / Batch)
            .Select(i => generator.forward(z.narrow(0, i * Batch, Math.Min(Batch, samples - i * Batch)))).ToArray()); // (N, C, H, W)
        var (features, labels) = Features(generated);
        var classes = classifier.Spec.ClassNames.Length;
        return new GanScore(FrechetDistance.Compute(_realFeatures!, features), ClassCoverage.Compute(labels, classes));
    }

    /// <summary>(count, z, 1, 1) standard normal noise from a private generator seeded with <paramref name="seed"/>.</summary>
    public static Tensor Noise(int count, int z, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return randn([count, z, 1, 1], generator: generator);
    }

    /// <summary>(N, F) features and (N) predicted classes of images, in batches, in inference mode.</summary>
    private (Tensor features, Tensor labels) Features(Tensor images)
    {
        classifier.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var features = new List<Tensor>();
        var labels = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += Batch)
        {
            var batch = images.narrow(0, start, Math.Min(Batch, images.shape[0] - start));
            features.Add(classifier.Features(batch));
            labels.Add(classifier.forward(batch).argmax(1));
        }
        return (cat(features).MoveToOuterDisposeScope(), cat(labels).MoveToOuterDisposeScope());
    }

    public void Dispose() => _realFeatures?.Dispose();
}
