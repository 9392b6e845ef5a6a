using Anvil.Training.Data;
using Anvil.Training.Data.Series;
using Anvil.Training.Data.Text;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>Train, validation and test splits, normalised with statistics of the training split only.</summary>
/// <example>
/// <code>using var data = PreparedData.Load(source.Load(recipe, null, Console.Error), recipe, limits, preprocessing: null);</code>
/// </example>
public sealed class PreparedData : IDisposable
{
    internal PreparedData(TensorDataset train, TensorDataset? validation, TensorDataset test, PreprocessingSpec? preprocessing, CsvPolicy? csvPolicy, SeriesLayout? series = null)
    {
        Series = series;
        Train = train;
        Validation = validation;
        Test = test;
        Preprocessing = preprocessing;
        CsvPolicy = csvPolicy;
    }

    /// <summary>Training split, normalised.</summary>
    public TensorDataset Train { get; }
    /// <summary>Validation split carved from the training data, or null when the recipe has none.</summary>
    public TensorDataset? Validation { get; }
    /// <summary>Test split, normalised with the training split's statistics.</summary>
    public TensorDataset Test { get; }
    /// <summary>Scale, mean and std that serving replays; null for token ids, which are not normalised.</summary>
    public PreprocessingSpec? Preprocessing { get; }
    /// <summary>The CSV cleaning policy fitted on the training rows; null for images.</summary>
    public CsvPolicy? CsvPolicy { get; }
    /// <summary>For texts: the tokenizer with the vocabulary fitted on the training split (or replayed); null otherwise.</summary>
    public Anvil.Preprocessing.Text.TextTokenizer? Tokenizer { get; private init; }
    /// <summary>For a series: where its windows sit in time; null otherwise.</summary>
    public SeriesLayout? Series { get; }

    /// <summary>True for (N, C, H, W) images, false for (N, F) feature vectors.</summary>
    public bool IsImages => Train.Features.dim() == 4;

    /// <summary>Limits, splits off validation and normalises. Takes ownership of <paramref name="source"/>'s tensors.</summary>
    /// <param name="preprocessing">Replays a saved normalisation (resume, evaluate); null fits a new one on the training split.</param>
    /// <param name="added">Samples appended to the training split after the limit (a retrain's feedback); null for none.</param>
    public static PreparedData Load(SourceData source, Recipe recipe, TrainingLimits limits, PreprocessingSpec? preprocessing, AddedSamples? added = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(limits);
        if (recipe.Transfer is { } transfer)
            source = Transfer.TransferData.Convert(source, transfer); // RGB at the backbone's size, before any split
        var (train, test) = (source.Train, source.Test);
        if (limits.Samples is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 2, "--limit");
            (train, test) = (Head(train, n), Head(test, n));
        }
        if (added is not null)
            train = added.AppendTo(train, source.Scale);
        TensorDataset? validation = null;
        if (recipe.ValidationFraction > 0)
        {
            var all = train;
            (train, validation) = source.Series is { } layout
                ? SeriesPreparation.SplitChronologically(all, recipe.ValidationFraction, layout.Options) // never a random split for a series
                : source.TrainDocuments is { } documents
                    ? TextSplits.SplitValidation(all, documents, recipe.ValidationFraction, recipe.Seed) // near-copies stay on one side
                    : DataSplit.Split(all, recipe.ValidationFraction, recipe.Seed);
            all.Dispose();
        }
        if (train.IsTokens)
            return new PreparedData(train, validation, test, null, null) { Tokenizer = source.Tokenizer };
        var normalization = preprocessing is null ? Normalization.Fit(train) : Normalization.From(preprocessing);
        foreach (var split in new[] { train, validation, test })
            if (split is not null)
                normalization.ApplyInPlace(split);
        var fitted = preprocessing ?? normalization.ToSpec(source.Scale);
        if (source.Series is { } series)
            return new PreparedData(train, validation, test, SeriesPreparation.StandardizeTargets(train, validation, fitted, refit: preprocessing is null), null, series);
        return new PreparedData(train, validation, test, fitted, source.CsvPolicy);
    }

    /// <summary>The first <paramref name="n"/> samples (the data set itself when it is not larger); disposes the input when it copies.</summary>
    public static TensorDataset Head(TensorDataset data, int n)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (n >= data.Count)
            return data;
        using var indices = arange(n);
        var head = data.Subset(indices);
        data.Dispose();
        return head;
    }

    /// <summary>Disposes every split.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        Test.Dispose();
    }
}
