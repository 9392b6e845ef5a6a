using System.Text;
using Anvil.Preprocessing.Text;
using static TorchSharp.torch;

namespace Anvil.Training.Data.Text;

/// <summary>
/// A labelled corpus as train and test token ids: split by group (no near-copy on both sides), the
/// vocabulary fitted on the training texts only (or a saved one replayed), every text encoded to
/// <see cref="TextTokenizerOptions.MaxLength"/> int64 ids padded with 0.
/// </summary>
/// <example>
/// <code>using var data = TextSplits.Load(corpus, new TextTokenizerOptions(MaxLength: 256), vocabulary: null, 0.2, seed: 42, Console.Error);</code>
/// </example>
public static class TextSplits
{
    /// <param name="vocabulary">A saved vocabulary to replay (evaluate, resume); null fits one on the training split.</param>
    /// <param name="warnings">Where skipped texts and the encoding summary are reported.</param>
    public static SourceData Load(TextCorpus corpus, TextTokenizerOptions options, TextVocabulary? vocabulary, double testFraction, int seed, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(warnings);
        options.Validate();
        var usable = corpus.Documents.Where(d => !string.IsNullOrWhiteSpace(d.Text)).Select(d => d with { Text = Clean(d.Text) }).ToList();
        if (usable.Count == 0)
            throw new InvalidDataException($"All {corpus.Documents.Count} texts of the corpus are empty; a text model needs texts with words. Check the data folder.");
        if (usable.Count < corpus.Documents.Count)
            warnings.WriteLine($"Skipped {corpus.Documents.Count - usable.Count} empty text(s).");
        var (train, test) = GroupSplit.Split(usable, testFraction, seed);
        vocabulary ??= TextVocabulary.Fit(train.Select(d => d.Text), options);
        var tokenizer = new TextTokenizer(vocabulary, options);
        var trainSet = Encode(train, tokenizer, corpus.ClassNames, out var trainTruncated);
        var testSet = Encode(test, tokenizer, corpus.ClassNames, out var testTruncated);
        warnings.WriteLine($"Text: {usable.Count:N0} texts ({train.Count:N0} train, {test.Count:N0} test, split by group), " +
            $"{vocabulary.Count:N0} token ids, {(double)(trainTruncated + testTruncated) / usable.Count:P0} truncated to {options.MaxLength} tokens.");
        return new SourceData(trainSet, testSet, 1, null) { Tokenizer = tokenizer, TrainDocuments = train };
    }

    /// <summary>
    /// Carves validation rows out of a text training split by group, as the test split was carved: no near-copy has
    /// texts on both sides. <paramref name="documents"/> are the split's texts, one per row of <paramref name="train"/>
    /// in its order. Both parts own copies of their rows.
    /// </summary>
    public static (TensorDataset Train, TensorDataset Validation) SplitValidation(TensorDataset train, IReadOnlyList<TextDocument> documents, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count < train.Count)
            throw new ArgumentException($"{documents.Count} documents for {train.Count} rows; every row needs its document.", nameof(documents));
        var (trainRows, validationRows) = GroupSplit.SplitIndices([.. documents.Take(train.Count)], validationFraction, seed);
        using var trainIndices = tensor(trainRows.Select(i => (long)i).ToArray());
        using var validationIndices = tensor(validationRows.Select(i => (long)i).ToArray());
        var trainPart = train.Subset(trainIndices);
        return (trainPart, train.Subset(validationIndices));
    }

    /// <summary>The documents as (N, max_length) int64 ids padded with 0, labelled; counts how many were truncated.</summary>
    internal static TensorDataset Encode(IReadOnlyList<TextDocument> documents, TextTokenizer tokenizer, IReadOnlyList<string> classNames, out int truncated)
    {
        var length = tokenizer.Options.MaxLength;
        var ids = new long[checked(documents.Count * length)];
        truncated = 0;
        for (var n = 0; n < documents.Count; n++)
        {
            var encoding = tokenizer.Encode(documents[n].Text);
            tokenizer.Pad(encoding, ids.AsSpan(n * length, length));
            truncated += encoding.Truncated ? 1 : 0;
        }
        var labels = documents.Select(d => (long)d.Label).ToArray();
        return new TensorDataset(tensor(ids, [documents.Count, length]), tensor(labels, [labels.LongLength]), classNames); // (N, T) int64
    }

    // The tokenizer refuses what cannot be a model input; a corpus text is kept but made valid:
    // unpaired surrogates (from JSON escapes) become U+FFFD and a text past the longest accepted is cut
    // (only its first max_length tokens are read anyway).
    private static string Clean(string text)
    {
        if (text.Length > TextTokenizer.LongestText)
            text = text[..TextTokenizer.LongestText];
        if (!text.Any(char.IsSurrogate))
            return text;
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                clean.Append(text[i]).Append(text[++i]);
            else
                clean.Append(char.IsSurrogate(text[i]) ? '\uFFFD' : text[i]);
        }
        return clean.ToString();
    }
}
