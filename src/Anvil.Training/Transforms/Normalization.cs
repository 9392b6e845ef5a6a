using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Transforms;

/// <summary>
/// Per-channel standardisation fitted on the training split only (fitting on all data would leak
/// the test set's statistics into training). The fitted values go into the model's
/// <see cref="PreprocessingSpec"/> so serving replays them exactly.
/// </summary>
/// <example>
/// <code>
/// var normalization = Normalization.Fit(train);
/// normalization.ApplyInPlace(train); normalization.ApplyInPlace(test);
/// </code>
/// </example>
public sealed class Normalization
{
    private Normalization(float[] mean, float[] std)
    {
        Mean = mean;
        Std = std;
    }

    public float[] Mean { get; }
    public float[] Std { get; }

    /// <summary>Computes per-channel mean and std of (N, C, H, W) images, per-feature of (N, F) rows or of (N, T, F) series steps.</summary>
    public static Normalization Fit(TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count < 2)
            throw new ArgumentException($"Normalization needs at least 2 training samples, got {train.Count}.", nameof(train));
        using var scope = NewDisposeScope();
        var x = train.Features;
        var perChannel = x.dim() switch
        {
            4 => x.transpose(0, 1).reshape(x.shape[1], -1), // (C, N·H·W)
            3 => x.reshape(-1, x.shape[2]).transpose(0, 1), // (F, N·T)
            _ => x.transpose(0, 1), // (F, N)
        };
        var mean = perChannel.mean([1], type: ScalarType.Float64).to(ScalarType.Float32).data<float>().ToArray();
        // A constant channel (std 0) would divide by zero; such a channel carries no information, so scale it by 1.
        var std = perChannel.std(1).data<float>().ToArray().Select(s => s > 1e-6f ? s : 1f).ToArray();
        return new Normalization(mean, std);
    }

    /// <summary>Rebuilds a fitted normalisation from a saved preprocessing spec.</summary>
    public static Normalization From(PreprocessingSpec spec) => new(spec.Mean, spec.Std);

    /// <summary>The spec to record with the model; <paramref name="scale"/> is what raw inputs were multiplied by first.</summary>
    public PreprocessingSpec ToSpec(double scale) => new() { Scale = scale, Mean = Mean, Std = Std };

    /// <summary>Standardises the data set's features in place (no copy of a large tensor).</summary>
    public void ApplyInPlace(TensorDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var channels = data.Features.shape[data.Features.dim() == 3 ? 2 : 1];
        if (channels != Mean.Length)
            throw new ArgumentException($"Normalization was fitted on {Mean.Length} channels but the data has {channels}.", nameof(data));
        using var scope = NewDisposeScope();
        long[] shape = data.Features.dim() switch { 4 => [1, channels, 1, 1], 3 => [1, 1, channels], _ => [1, channels] };
        data.Features.sub_(tensor(Mean).view(shape)).div_(tensor(Std).view(shape));
    }
}
