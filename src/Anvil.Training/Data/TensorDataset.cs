using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>
/// A data set held as two in-memory tensors, features and typed targets: on a CPU one contiguous
/// tensor is the fastest input pipeline (a batch is a slice, not a copy of many small arrays).
/// The <see cref="Task"/> says what the targets are: (N) int64 class labels for classification,
/// (N, K) float32 values for regression.
/// </summary>
/// <example>
/// <code>
/// var images = new TensorDataset(pixels, labels, ["cat", "dog"]);
/// var prices = TensorDataset.Regression(features, targets, ["price"]);
/// </code>
/// </example>
public sealed class TensorDataset : IDisposable
{
    /// <summary>Creates a classification data set. Takes ownership of both tensors.</summary>
    /// <param name="features">(N, ...) float32 features, e.g. (N, C, H, W) images, or (N, T) int64 token ids of texts.</param>
    /// <param name="labels">(N) int64 class indices in [0, classNames.Count).</param>
    /// <param name="classNames">One name per class.</param>
    public TensorDataset(Tensor features, Tensor labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (features.dtype != ScalarType.Float32 && !(features.dtype == ScalarType.Int64 && features.dim() == 2))
            throw new ArgumentException($"Features must be float32, or (N, T) int64 token ids, got {features.dtype} with shape [{string.Join(", ", features.shape)}].", nameof(features));
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
        Targets = labels;
        _names = classNames;
    }

    private TensorDataset(Tensor features, Tensor targets, IReadOnlyList<string> names, TaskKind task)
    {
        Features = features;
        Targets = targets;
        _names = names;
        Task = task;
    }

    private readonly IReadOnlyList<string> _names;

    /// <summary>Creates a regression data set. Takes ownership of both tensors.</summary>
    /// <param name="features">(N, ...) float32 features.</param>
    /// <param name="targets">(N, K) float32 target values.</param>
    /// <param name="targetNames">K names, one per target column.</param>
    public static TensorDataset Regression(Tensor features, Tensor targets, IReadOnlyList<string> targetNames)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(targetNames);
        if (features.dtype != ScalarType.Float32)
            throw new ArgumentException($"Features must be float32, got {features.dtype}.", nameof(features));
        if (targets.dtype != ScalarType.Float32 || targets.dim() != 2 || targets.shape[0] != features.shape[0])
            throw new ArgumentException($"Regression targets must be a float32 (N, K) tensor with N = {features.shape[0]}, got {targets.dtype} [{string.Join(", ", targets.shape)}].", nameof(targets));
        if (targets.shape[1] != targetNames.Count)
            throw new ArgumentException($"Targets have {targets.shape[1]} columns but {targetNames.Count} names were given; give one name per column.", nameof(targetNames));
        return new TensorDataset(features, targets, targetNames, TaskKind.Regression);
    }

    /// <summary>(N, ...) float32 features, or (N, T) int64 token ids right-padded with 0.</summary>
    public Tensor Features { get; }

    /// <summary>True when the features are (N, T) int64 token ids: no normalisation, no image augmentation.</summary>
    public bool IsTokens => Features.dtype == ScalarType.Int64;

    /// <summary>What the targets are.</summary>
    public TaskKind Task { get; } = TaskKind.Classification;

    /// <summary>(N) int64 class labels for classification, (N, K) float32 values for regression.</summary>
    public Tensor Targets { get; }

    /// <summary>(N) int64 labels of a classification data set.</summary>
    public Tensor Labels => Task == TaskKind.Classification ? Targets
        : throw new InvalidOperationException("This regression data set has float targets, not class labels; read Targets.");

    /// <summary>Class names of a classification data set, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames => Task == TaskKind.Classification ? _names
        : throw new InvalidOperationException("This regression data set has no classes; read TargetNames.");

    /// <summary>Class names for classification, target column names for regression: one per model output.</summary>
    public IReadOnlyList<string> TargetNames => _names;

    /// <summary>Number of samples.</summary>
    public int Count => (int)Features.shape[0];

    /// <summary>Shape of one sample, e.g. [1, 28, 28].</summary>
    public long[] SampleShape => Features.shape[1..];

    /// <summary>A new data set holding the given rows (copied; the result owns its tensors).</summary>
    public TensorDataset Subset(Tensor indices)
    {
        using var scope = NewDisposeScope();
        var features = Features.index_select(0, indices).MoveToOuterDisposeScope();
        var targets = Targets.index_select(0, indices).MoveToOuterDisposeScope();
        return new TensorDataset(features, targets, _names, Task);
    }

    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
    }
}
