using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Robustness;

/// <summary>
/// Finds, for each input, a perturbation within the attack's ε-ball that the model misclassifies, by following the
/// gradient of the cross-entropy loss with respect to the input. Inputs are pixels in [0, 1] and stay there; the
/// model's own preprocessing is inside <c>logits</c>. What it finds is an upper bound on robust accuracy: a stronger
/// attack may find more.
/// </summary>
public static class AdversarialAttack
{
    private const float Tiny = 1e-30f;

    /// <param name="logits">The model from [0, 1] pixels to logits (eval mode: no dropout, fixed batch norm).</param>
    /// <param name="pixels">A batch (N, C, H, W) in [0, 1].</param>
    public static Tensor Perturb(Func<Tensor, Tensor> logits, Tensor pixels, Tensor labels, Attack attack, Generator? random = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(attack);
        attack.Validate();
        using var scope = NewDisposeScope();
        var clean = pixels.detach();
        var adversarial = attack.RandomStart ? Project(clean + RandomInBall(clean, attack, random), clean, attack) : clean.clone();
        for (var step = 0; step < attack.Steps; step++)
        {
            using var grad = enable_grad();
            var x = adversarial.detach().requires_grad_(true);
            var loss = nn.functional.cross_entropy(logits(x), labels, reduction: nn.Reduction.Sum);
            var gradient = autograd.grad([loss], [x])[0];
            adversarial = Project(x.detach() + attack.StepSize * Direction(gradient, attack.Norm), clean, attack);
        }

        return adversarial.detach().MoveToOuterDisposeScope();
    }

    /// <summary>The steepest ascent direction of unit size in the norm: the sign for L∞, the normalised gradient for L2.</summary>
    private static Tensor Direction(Tensor gradient, AttackNorm norm) => norm == AttackNorm.Linf
        ? gradient.sign()
        : gradient / PerSample(gradient).clamp_min(Tiny); // a confident model's gradient can be 1e-16 and still points the way

    /// <summary>Back into the ε-ball around the clean input, then into [0, 1].</summary>
    private static Tensor Project(Tensor candidate, Tensor clean, Attack attack)
    {
        var delta = candidate - clean;
        delta = attack.Norm == AttackNorm.Linf
            ? delta.clamp(-attack.Epsilon, attack.Epsilon)
            : delta * (attack.Epsilon / PerSample(delta).clamp_min(attack.Epsilon)); // shrinks only what lies outside
        return (clean + delta).clamp(0, 1);
    }

    /// <summary>A uniform point of the L∞ ball, or a point of the L2 ball in a uniform direction and radius.</summary>
    private static Tensor RandomInBall(Tensor clean, Attack attack, Generator? random)
    {
        if (attack.Norm == AttackNorm.Linf)
            return (rand(clean.shape, generator: random) * 2 - 1) * attack.Epsilon;
        var direction = randn(clean.shape, generator: random);
        direction /= PerSample(direction).clamp_min(Tiny);
        var radius = rand([clean.shape[0], .. Enumerable.Repeat(1L, (int)clean.dim() - 1)], generator: random) * attack.Epsilon;
        return direction * radius;
    }

    /// <summary>Each sample's L2 norm, shaped (N, 1, 1, 1) to broadcast over it.</summary>
    private static Tensor PerSample(Tensor t) =>
        t.flatten(1).norm(1, keepdim: true).reshape([t.shape[0], .. Enumerable.Repeat(1L, (int)t.dim() - 1)]);
}
