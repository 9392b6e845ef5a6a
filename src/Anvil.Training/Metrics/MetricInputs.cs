using static TorchSharp.torch;

namespace Anvil.Training.Metrics;

/// <summary>Checks the (predictions, targets) pair every metric receives, so each metric fails the same way.</summary>
internal static class MetricInputs
{
    /// <summary>Throws unless predictions are (N, C) and targets are (N) int64; with a class count, also C and the label range.</summary>
    public static void Check(Tensor predictions, Tensor targets, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        if (predictions.dim() != 2)
            throw new ArgumentException(
                $"Predictions must be a 2-D (N, C) tensor of class scores, got shape [{string.Join(", ", predictions.shape)}].",
                nameof(predictions));
        if (targets.dtype != ScalarType.Int64 || targets.dim() != 1)
            throw new ArgumentException(
                $"Targets must be a 1-D int64 tensor of class indices, got {targets.dtype} with shape [{string.Join(", ", targets.shape)}]; convert with targets.to(int64).",
                nameof(targets));
        if (predictions.shape[0] != targets.shape[0])
            throw new ArgumentException(
                $"Predictions hold {predictions.shape[0]} rows but targets hold {targets.shape[0]}; pass one target per prediction row.",
                nameof(targets));
        if (classCount is not { } count)
            return;
        if (predictions.shape[1] != count)
            throw new ArgumentException(
                $"Predictions have {predictions.shape[1]} columns but the metric was built for {count} classes; build it with the model's class count.",
                nameof(predictions));
        if (targets.numel() == 0)
            return;
        var min = targets.min().item<long>();
        var max = targets.max().item<long>();
        if (min < 0 || max >= count)
            throw new ArgumentOutOfRangeException(nameof(targets),
                $"Target {(min < 0 ? min : max)} is out of range: targets must lie in [0, {count - 1}] for {count} classes.");
    }

    /// <summary>(N) int64 index of the highest score in each row, copied to the CPU.</summary>
    public static long[] PredictedClasses(Tensor predictions)
    {
        using var predicted = predictions.argmax(1).cpu(); // (N)
        return predicted.data<long>().ToArray();
    }

    /// <summary>(N) int64 targets copied to the CPU.</summary>
    public static long[] Labels(Tensor targets)
    {
        using var labels = targets.cpu(); // (N)
        return labels.data<long>().ToArray();
    }
}
