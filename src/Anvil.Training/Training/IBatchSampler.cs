using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// A training step that draws its own batches instead of walking a shuffled order (DP-SGD's Poisson sampling, whose
/// privacy amplification needs each example drawn independently and in secret).
/// </summary>
public interface IBatchSampler
{
    /// <summary>(B) int64 indices into the training data of <paramref name="count"/> samples; B may be 0.</summary>
    Tensor DrawBatch(int count);
}
