using static TorchSharp.torch;

namespace Anvil.Training.Transforms;

/// <summary>
/// A random augmentation applied to a whole batch at once (one kernel per batch, not one per
/// image): the cheap way to augment on a CPU.
/// </summary>
public interface IBatchTransform
{
    /// <summary>Returns the augmented batch; <paramref name="batch"/> is not modified.</summary>
    /// <param name="batch">(B, C, H, W) images.</param>
    /// <param name="generator">Source of randomness, so runs with the same seed augment identically.</param>
    Tensor Apply(Tensor batch, Generator generator);
}
