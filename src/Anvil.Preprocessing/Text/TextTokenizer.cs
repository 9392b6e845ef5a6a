using System.Text;
using Microsoft.ML.Tokenizers;

namespace Anvil.Preprocessing.Text;

/// <summary>
/// Texts to token ids with a fitted <see cref="TextVocabulary"/>, through Microsoft.ML.Tokenizers' BERT
/// normalizer, pre-tokenizer and WordPiece model: the vocabulary holds whole words only, so a word is either
/// known or the unknown id. Training and serving both use this one type, so they tokenize identically.
/// </summary>
/// <example>
/// <code>
/// var tokenizer = new TextTokenizer(vocabulary, options);
/// var encoding = tokenizer.Encode("Win a FREE cruise!");   // ids, truncated?, unknown count
/// </code>
/// </example>
public sealed class TextTokenizer
{
    /// <summary>Longest text accepted, in UTF-16 chars: bounds the work of one encode.</summary>
    public const int LongestText = 1_000_000;

    private readonly BertTokenizer _tokenizer;

    public TextTokenizer(TextVocabulary vocabulary, TextTokenizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Vocabulary = vocabulary;
        Options = options;
        _tokenizer = Create(vocabulary.Tokens, options.Lowercase);
    }

    public TextVocabulary Vocabulary { get; }

    public TextTokenizerOptions Options { get; }

    /// <summary>
    /// The ids of <paramref name="text"/>, at most <see cref="TextTokenizerOptions.MaxLength"/> of them.
    /// Throws <see cref="ArgumentException"/> for text that cannot be a model input: empty or white space only,
    /// unpaired UTF-16 surrogates, or longer than <see cref="LongestText"/>.
    /// </summary>
    public TextEncoding Encode(string text)
    {
        Check(text);
        var ids = _tokenizer.EncodeToIds(text, Options.MaxLength + 1, addSpecialTokens: false, out _, out _);
        var truncated = ids.Count > Options.MaxLength;
        var kept = truncated ? ids.Take(Options.MaxLength).ToArray() : [.. ids];
        return new TextEncoding(kept, truncated, kept.Count(id => id == TextVocabulary.UnknownId));
    }

    /// <summary>Writes the ids of <paramref name="encoding"/> into a sample of MaxLength ids, padding the rest.</summary>
    public void Pad(TextEncoding encoding, Span<long> sample)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        if (sample.Length != Options.MaxLength)
            throw new ArgumentException($"A sample holds {Options.MaxLength} ids, the span {sample.Length}.", nameof(sample));
        sample.Clear(); // the padding id is 0
        for (var i = 0; i < encoding.Ids.Count; i++)
            sample[i] = encoding.Ids[i];
    }

    /// <summary>The words of a text, split as <see cref="Encode"/> splits them (for fitting a vocabulary).</summary>
    internal static IEnumerable<string> Words(string text, bool lowercase)
    {
        Check(text);
        var splitter = lowercase ? LowercaseSplitter : CasedSplitter;
        var normalized = splitter.Normalizer?.Normalize(text) ?? text;
        foreach (var (offset, length) in splitter.PreTokenizer!.PreTokenize(normalized))
        {
            if (length <= MaxCharsPerWord)
                yield return normalized.Substring(offset, length);
        }
    }

    // WordPiece maps longer words to the unknown id whatever the vocabulary holds; fitting skips them.
    private const int MaxCharsPerWord = 100;

    private static readonly BertTokenizer LowercaseSplitter = Create([TextVocabulary.PaddingToken, TextVocabulary.UnknownToken], true);
    private static readonly BertTokenizer CasedSplitter = Create([TextVocabulary.PaddingToken, TextVocabulary.UnknownToken], false);

    private static BertTokenizer Create(IReadOnlyList<string> tokens, bool lowercase)
    {
        using var vocabulary = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', tokens) + "\n"));
        return BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = lowercase,
            UnknownToken = TextVocabulary.UnknownToken,
            PaddingToken = TextVocabulary.PaddingToken,
            MaxInputCharsPerWord = MaxCharsPerWord,
            // BERT's [CLS]/[SEP]/[MASK] are never added (addSpecialTokens: false), but the library requires them
            // to exist in the vocabulary; pointing them at the unknown token keeps our ids free of unused rows.
            ClassificationToken = TextVocabulary.UnknownToken,
            SeparatorToken = TextVocabulary.UnknownToken,
            MaskingToken = TextVocabulary.UnknownToken,
        });
    }

    private static void Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > LongestText)
            throw new ArgumentException($"The text has {text.Length:N0} characters; at most {LongestText:N0} are accepted. Send a shorter text.", nameof(text));
        if (string.IsNullOrWhiteSpace(text))
            throw new ArgumentException("The text is empty; send at least one word.", nameof(text));
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                throw new ArgumentException($"The text holds an unpaired UTF-16 surrogate at character {i}; send valid Unicode text.", nameof(text));
        }
    }
}
