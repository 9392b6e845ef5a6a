using Anvil.Training.Data;
using Anvil.Training.Models;

namespace Anvil.Training.Runs;

/// <summary>Picks and checks a run's model from what the data already says: input kind, shape and class names.</summary>
/// <example>
/// <code>var spec = ModelChoice.Resolve(ModelChoice.DefaultFor(train), train);</code>
/// </example>
public static class ModelChoice
{
    /// <summary>The built-in model for the data's input kind: vgg-small for (N, C, H, W) images, mlp for (N, F) feature vectors.</summary>
    public static string DefaultFor(TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return train.Features.dim() == 4 ? "vgg-small" : "mlp";
    }

    /// <summary>The built-in model or the spec file named by <paramref name="model"/>, checked against the data's shape and classes.</summary>
    public static ModelSpec Resolve(string model, TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var inputShape = train.SampleShape.Select(d => (int)d).ToArray();
        var classNames = train.ClassNames.ToArray();
        if (BuiltInModels.Contains(model))
            return BuiltInModels.Create(model, inputShape, classNames);
        var spec = ModelSpec.Load(model);
        if (!spec.InputShape.SequenceEqual(inputShape) || !spec.ClassNames.SequenceEqual(classNames))
            throw new ArgumentException(
                $"Model spec '{model}' expects input [{string.Join(", ", spec.InputShape)}] and classes [{string.Join(", ", spec.ClassNames)}], " +
                $"but the data has input [{string.Join(", ", inputShape)}] and classes [{string.Join(", ", classNames)}] (in this order); make the spec's input_shape and class_names match.");
        return spec;
    }
}
