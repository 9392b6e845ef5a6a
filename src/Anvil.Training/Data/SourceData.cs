namespace Anvil.Training.Data;

/// <summary>
/// A data source as read: un-normalised train and test splits, the factor raw inputs were
/// multiplied by (1/255 for 8-bit images, 1 for CSV features) and, for CSV data, the cleaning
/// policy fitted on the training rows only.
/// </summary>
/// <example>
/// <code>using var data = source.Load(recipe, csvPolicy: null, warnings: Console.Error);</code>
/// </example>
public sealed class SourceData(TensorDataset train, TensorDataset test, double scale, CsvPolicy? csvPolicy) : IDisposable
{
    /// <summary>Training split (validation is carved out of it later).</summary>
    public TensorDataset Train { get; } = train;
    /// <summary>Test split: the separate test set, or the held-out share of the data.</summary>
    public TensorDataset Test { get; } = test;
    /// <summary>What raw inputs were multiplied by.</summary>
    public double Scale { get; } = scale;
    /// <summary>The fitted CSV cleaning policy; null for images.</summary>
    public CsvPolicy? CsvPolicy { get; } = csvPolicy;
    /// <summary>For texts: the tokenizer (options and the vocabulary fitted on the training split) the ids were made with.</summary>
    public Anvil.Preprocessing.Text.TextTokenizer? Tokenizer { get; init; }
    /// <summary>For texts: the training split's documents, one per row of <see cref="Train"/> in the same order (cross-validation refits the vocabulary per fold from them).</summary>
    public IReadOnlyList<Text.TextDocument>? TrainDocuments { get; init; }
    /// <summary>For a series (the recipe's "series"): where its windows sit in time; null otherwise.</summary>
    public Series.SeriesLayout? Series { get; init; }

    /// <summary>Disposes both splits.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
