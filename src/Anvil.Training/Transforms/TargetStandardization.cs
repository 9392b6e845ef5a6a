using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Transforms;

/// <summary>
/// Standardises a regressor's targets per output with the training split's mean and std, so every output trains at
/// the same scale; <see cref="Restore"/> maps the model's outputs back to the original unit (outputs × std + mean),
/// exactly what the exported graph appends from <see cref="PreprocessingSpec.TargetMean"/> and <see cref="PreprocessingSpec.TargetStd"/>.
/// </summary>
/// <example>
/// <code>
/// var targets = TargetStandardization.Fit(train);
/// targets.ApplyInPlace(train);
/// using var forecast = targets.Restore(model.forward(x)); // °F again
/// </code>
/// </example>
public sealed class TargetStandardization
{
    private TargetStandardization(float[] mean, float[] std)
    {
        Mean = mean;
        Std = std;
    }

    /// <summary>Mean of each target column on the training split.</summary>
    public float[] Mean { get; }

    /// <summary>Standard deviation of each target column on the training split; never zero.</summary>
    public float[] Std { get; }

    /// <summary>Fits mean and std of each column of the (N, K) regression targets.</summary>
    public static TargetStandardization Fit(TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Task != TaskKind.Regression || train.Count < 2)
            throw new ArgumentException($"Target standardisation needs a regression data set with at least 2 samples, got {train.Task} with {train.Count}.", nameof(train));
        using var scope = NewDisposeScope();
        var mean = train.Targets.mean([0], type: ScalarType.Float64).to(ScalarType.Float32).data<float>().ToArray();
        // A constant target (std 0) would divide by zero; leave its scale alone.
        var std = train.Targets.std(0).data<float>().ToArray().Select(s => s > 1e-6f ? s : 1f).ToArray();
        return new TargetStandardization(mean, std);
    }

    /// <summary>Rebuilds the fitted standardisation from a regressor's saved preprocessing.</summary>
    /// <exception cref="InvalidDataException">The spec holds no target mean and std.</exception>
    public static TargetStandardization From(PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.TargetMean is not { } mean || spec.TargetStd is not { } std || mean.Length != std.Length)
            throw new InvalidDataException("The model spec's preprocessing has no target_mean and target_std (one per output); it was not trained as a regressor. Train it again.");
        return new TargetStandardization(mean, std);
    }

    /// <summary>Standardises the data set's (N, K) targets in place.</summary>
    public void ApplyInPlace(TensorDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Targets.shape[1] != Mean.Length)
            throw new ArgumentException($"Targets have {data.Targets.shape[1]} columns but the standardisation was fitted on {Mean.Length}.", nameof(data));
        using var scope = NewDisposeScope();
        data.Targets.sub_(tensor(Mean).view(1, -1)).div_(tensor(Std).view(1, -1));
    }

    /// <summary>(B, K) standardised outputs → (B, K) in the original unit.</summary>
    public Tensor Restore(Tensor outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        using var scope = NewDisposeScope();
        return outputs.mul(tensor(Std).view(1, -1)).add_(tensor(Mean).view(1, -1)).MoveToOuterDisposeScope();
    }

    /// <summary>The preprocessing spec with this standardisation recorded in it.</summary>
    public PreprocessingSpec AddTo(PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with { TargetMean = Mean, TargetStd = Std };
    }
}
