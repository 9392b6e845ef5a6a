using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>
/// A labelled data set held as two in-memory tensors: on a CPU one contiguous tensor is the
/// fastest input pipeline (a batch is a slice, not a copy of many small arrays).
/// </summary>
/// <example>
/// <code>var data = new TensorDataset(images, labels, ["cat", "dog"]);</code>
/// </example>
public sealed class TensorDataset : IDisposable
{
    /// <summary>Creates a data set. Takes ownership of both tensors.</summary>
    /// <param name="features">(N, ...) float32 features, e.g. (N, C, H, W) images.</param>
    /// <param name="labels">(N) int64 class indices in [0, classNames.Count).</param>
    /// <param name="classNames">One name per class.</param>
    public TensorDataset(Tensor features, Tensor labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (features.dtype != ScalarType.Float32)
            throw new ArgumentException($"Features must be float32, got {features.dtype}.", nameof(features));
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1)
            throw new ArgumentException($"Labels must be a 1-D int64 tensor, got {labels.dtype} with shape [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (features.shape[0] != labels.shape[0])
            throw new ArgumentException($"Features hold {features.shape[0]} samples but labels hold {labels.shape[0]}; they must match.", nameof(labels));
        if (classNames.Count < 2)
            throw new ArgumentException($"A classification data set needs at least 2 classes, got {classNames.Count}.", nameof(classNames));
        if (labels.numel() > 0)
        {
            var min = labels.min().item<long>();
            var max = labels.max().item<long>();
            if (min < 0 || max >= classNames.Count)
                throw new ArgumentOutOfRangeException(nameof(labels),
                    $"Label {(min < 0 ? min : max)} is out of range: labels must lie in [0, {classNames.Count - 1}] for {classNames.Count} classes.");
        }
        Features = features;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary>(N, ...) float32 features.</summary>
    public Tensor Features { get; }

    /// <summary>(N) int64 labels.</summary>
    public Tensor Labels { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of samples.</summary>
    public int Count => (int)Features.shape[0];

    /// <summary>Shape of one sample, e.g. [1, 28, 28].</summary>
    public long[] SampleShape => Features.shape[1..];

    /// <summary>A new data set holding the given rows (copied; the result owns its tensors).</summary>
    public TensorDataset Subset(Tensor indices)
    {
        using var scope = NewDisposeScope();
        var features = Features.index_select(0, indices).MoveToOuterDisposeScope();
        var labels = Labels.index_select(0, indices).MoveToOuterDisposeScope();
        return new TensorDataset(features, labels, ClassNames);
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
