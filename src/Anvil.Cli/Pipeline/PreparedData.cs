using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Cli.Pipeline;

/// <summary>Train, validation and test splits, normalised with statistics of the training split only.</summary>
internal sealed class PreparedData : IDisposable
{
    private PreparedData(TensorDataset train, TensorDataset? validation, TensorDataset test, PreprocessingSpec preprocessing)
    {
        Train = train;
        Validation = validation;
        Test = test;
        Preprocessing = preprocessing;
    }

    public TensorDataset Train { get; }
    public TensorDataset? Validation { get; }
    public TensorDataset Test { get; }
    public PreprocessingSpec Preprocessing { get; }

    /// <param name="preprocessing">Replays a saved normalisation (resume, evaluate); null fits a new one on the training split.</param>
    public static PreparedData Load(DataSource source, Recipe recipe, TrainingLimits limits, PreprocessingSpec? preprocessing)
    {
        var (train, test, scale) = source.Load(recipe.Seed);
        if (limits.Samples is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 2, "--limit");
            (train, test) = (Head(train, n), Head(test, n));
        }
        TensorDataset? validation = null;
        if (recipe.ValidationFraction > 0)
        {
            var all = train;
            (train, validation) = DataSplit.Split(all, recipe.ValidationFraction, recipe.Seed);
            all.Dispose();
        }
        var normalization = preprocessing is null ? Normalization.Fit(train) : Normalization.From(preprocessing);
        foreach (var split in new[] { train, validation, test })
            if (split is not null)
                normalization.ApplyInPlace(split);
        return new PreparedData(train, validation, test, preprocessing ?? normalization.ToSpec(scale));
    }

    /// <summary>The first <paramref name="n"/> samples (the data set itself when it is not larger); disposes the input when it copies.</summary>
    public static TensorDataset Head(TensorDataset data, int n)
    {
        if (n >= data.Count)
            return data;
        using var indices = arange(n);
        var head = data.Subset(indices);
        data.Dispose();
        return head;
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        Test.Dispose();
    }
}
