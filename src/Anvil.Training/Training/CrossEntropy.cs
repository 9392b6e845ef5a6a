using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Training;

/// <summary>Cross-entropy with label smoothing (TorchSharp 0.107's CrossEntropyLoss has none).</summary>
public static class CrossEntropy
{
    /// <summary>
    /// Mean over the batch of (1 - ε)·NLL(target) + ε·mean over classes of -log p, which is
    /// cross-entropy against targets smoothed to 1 - ε + ε/C on the true class and ε/C elsewhere.
    /// </summary>
    /// <param name="logits">(B, C) raw scores.</param>
    /// <param name="targets">(B) int64 class indices.</param>
    /// <param name="smoothing">ε in [0, 1).</param>
    public static Tensor Loss(Tensor logits, Tensor targets, double smoothing = 0)
    {
        using var logProbabilities = functional.log_softmax(logits, 1); // (B, C)
        if (smoothing == 0)
            return functional.nll_loss(logProbabilities, targets);
        using var nll = functional.nll_loss(logProbabilities, targets);
        using var uniform = logProbabilities.mean([1]).mean().neg();
        return nll.mul(1 - smoothing).add_(uniform.mul(smoothing));
    }
}
