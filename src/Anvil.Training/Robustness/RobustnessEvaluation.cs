using System.Globalization;
using Anvil.Training.Data;
using Anvil.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Robustness;

/// <summary>
/// Evaluates an image classifier under FGSM and PGD at several ε, on pixels in [0, 1] (the model's normalisation is
/// applied inside), and checks the signs of gradient masking: robust accuracy that rises with more PGD steps, FGSM
/// stronger than PGD, or an unbounded attack (ε = 1 in L∞) that does not bring accuracy to chance.
/// </summary>
/// <example><code>var report = RobustnessEvaluation.Run(model, spec.Preprocessing!, test, AttackNorm.Linf, [0.05, 0.1], steps: 10, limit: 1000, seed: 1);</code></example>
public static class RobustnessEvaluation
{
    private const int Batch = 100;

    /// <summary>More steps may change accuracy by sampling noise, never by more than this many points.</summary>
    private const double NoisePoints = 1.0;

    public static RobustnessReport Run(nn.Module<Tensor, Tensor> model, PreprocessingSpec preprocessing, TensorDataset test, AttackNorm norm,
        IReadOnlyList<double> epsilons, int steps, int limit, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(epsilons);
        if (test.Features.dim() != 4 || test.Task != TaskKind.Classification)
            throw new ArgumentException("Robustness is evaluated for image classifiers (inputs of channels × height × width); this model takes other inputs.");
        if (epsilons.Count == 0)
            throw new ArgumentException("Give at least one ε, e.g. --eps 0.05,0.1.");
        foreach (var epsilon in epsilons)
            Attack.Pgd(norm, epsilon, Math.Max(steps, 1)).Validate();
        if (limit < 1)
            throw new ArgumentException($"--limit must be at least 1 test image; got {limit}.");

        model.eval();
        var count = (int)Math.Min(limit, test.Count);
        var random = new Generator((ulong)seed);
        using var space = new PixelSpace(preprocessing, test.Features.shape[1]);
        Tensor logits(Tensor pixels) => model.forward(space.ToInputs(pixels)); // [0, 1] pixels → the model's input
        var unbounded = norm == AttackNorm.Linf ? 1.0 : Math.Sqrt(test.Features.shape[1] * test.Features.shape[2] * test.Features.shape[3]);
        var clean = Accuracy(test, count, space.ToPixels, logits, null, random);
        var points = epsilons.Select(epsilon => new RobustPoint(
            epsilon,
            Accuracy(test, count, space.ToPixels, logits, Attack.Fgsm(norm, epsilon), random),
            Accuracy(test, count, space.ToPixels, logits, Attack.Pgd(norm, epsilon, steps), random),
            Accuracy(test, count, space.ToPixels, logits, Attack.Pgd(norm, epsilon, 4 * steps), random))).ToList();
        var unboundedAccuracy = Accuracy(test, count, space.ToPixels, logits, Attack.Pgd(norm, unbounded, steps), random);
        return new RobustnessReport(norm, steps, count, clean, points, unboundedAccuracy, Warnings(points, unboundedAccuracy, test.TargetNames.Count));
    }

    /// <summary>The signs of gradient masking (Athalye et al. 2018; Carlini et al. 2019, "On Evaluating Adversarial Robustness").</summary>
    internal static List<string> Warnings(IReadOnlyList<RobustPoint> points, double unboundedAccuracy, int classes)
    {
        string Pct(double a) => (a * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var warnings = new List<string>();
        foreach (var p in points)
        {
            var at = $"at ε {p.Epsilon.ToString(CultureInfo.InvariantCulture)}";
            if ((p.PgdMoreStepsAccuracy - p.PgdAccuracy) * 100 > NoisePoints)
                warnings.Add($"{at} robust accuracy rose with 4× the PGD steps ({Pct(p.PgdAccuracy)} → {Pct(p.PgdMoreStepsAccuracy)}): the gradients may be masked.");
            if ((p.PgdAccuracy - p.FgsmAccuracy) * 100 > NoisePoints)
                warnings.Add($"{at} one FGSM step beat PGD ({Pct(p.FgsmAccuracy)} vs {Pct(p.PgdAccuracy)}): the gradients may be masked.");
        }

        var chance = 1.0 / classes;
        if (unboundedAccuracy > chance + 0.10)
            warnings.Add($"an unbounded attack left {Pct(unboundedAccuracy)} accuracy, far above chance ({Pct(chance)}): the gradients are likely masked and the robust accuracies above mean little.");
        return warnings;
    }

    private static double Accuracy(TensorDataset test, int count, Func<Tensor, Tensor> toPixels, Func<Tensor, Tensor> logits, Attack? attack, Generator random)
    {
        var correct = 0L;
        for (var start = 0; start < count; start += Batch)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(Batch, count - start);
            var normalised = test.Features.narrow(0, start, n);
            var labels = test.Labels.narrow(0, start, n);
            var pixels = toPixels(normalised);
            var input = attack is null ? pixels : AdversarialAttack.Perturb(logits, pixels, labels, attack, random);
            using var noGrad = no_grad();
            correct += logits(input).argmax(1).eq(labels).sum().item<long>();
        }

        return (double)correct / count;
    }
}
