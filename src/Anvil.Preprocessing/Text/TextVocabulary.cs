using System.Text;

namespace Anvil.Preprocessing.Text;

/// <summary>
/// The words a text model knows, fitted on the training texts only: id 0 pads a short text, id 1 stands
/// for every word not in the vocabulary, then the words, most frequent first. Saved as <c>vocab.txt</c>,
/// one token per line, inside the signed model version.
/// </summary>
/// <example>
/// <code>
/// var vocabulary = TextVocabulary.Fit(trainTexts, new TextTokenizerOptions(MaxWords: 20_000));
/// vocabulary.Save(Path.Combine(directory, TextVocabulary.FileName));
/// </code>
/// </example>
public sealed class TextVocabulary
{
    public const string FileName = "vocab.txt";
    public const string PaddingToken = "[PAD]";
    public const string UnknownToken = "[UNK]";
    public const int PaddingId = 0;
    public const int UnknownId = 1;

    /// <summary>Largest vocabulary accepted, in tokens; also bounds a loaded file.</summary>
    public const int LargestSize = 1_000_000;

    private const long LargestFileBytes = 64L * 1024 * 1024;

    private TextVocabulary(IReadOnlyList<string> tokens) => Tokens = tokens;

    /// <summary>Every token by id, starting with the padding and unknown tokens.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Number of ids, padding and unknown included (the embedding's row count).</summary>
    public int Count => Tokens.Count;

    /// <summary>
    /// Counts the words of <paramref name="texts"/> (split exactly as <see cref="TextTokenizer"/> splits) and keeps
    /// the <see cref="TextTokenizerOptions.MaxWords"/> most frequent that occur at least
    /// <see cref="TextTokenizerOptions.MinCount"/> times; ties go in ordinal order, so a fit is deterministic.
    /// </summary>
    public static TextVocabulary Fit(IEnumerable<string> texts, TextTokenizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var word in TextTokenizer.Words(text, options.Lowercase))
                counts[word] = counts.GetValueOrDefault(word) + 1;
        }

        var words = counts
            .Where(pair => pair.Value >= options.MinCount)
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(options.MaxWords)
            .Select(pair => pair.Key);
        return new TextVocabulary([PaddingToken, UnknownToken, .. words]);
    }

    /// <summary>Writes one token per line (UTF-8, no BOM).</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, string.Join('\n', Tokens) + "\n", new UTF8Encoding(false));
    }

    /// <summary>Reads a saved vocabulary, checking its size, encoding and layout.</summary>
    public static TextVocabulary Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var length = new FileInfo(path).Length;
        if (length > LargestFileBytes)
            throw new InvalidDataException($"Vocabulary '{path}' is {length:N0} bytes; at most {LargestFileBytes:N0} are accepted.");
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses the bytes of a saved vocabulary (for example the verified bytes of a model version).</summary>
    public static TextVocabulary Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length > LargestFileBytes)
            throw new InvalidDataException($"Vocabulary '{source}' is {bytes.Length:N0} bytes; at most {LargestFileBytes:N0} are accepted.");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"Vocabulary '{source}' is not valid UTF-8: {e.Message}", e);
        }

        var tokens = text.EndsWith('\n') ? text[..^1].Split('\n') : text.Split('\n');
        if (tokens.Length < 2 || tokens[PaddingId] != PaddingToken || tokens[UnknownId] != UnknownToken)
            throw new InvalidDataException($"Vocabulary '{source}' must start with the lines {PaddingToken} and {UnknownToken}.");
        if (tokens.Length > LargestSize + 2)
            throw new InvalidDataException($"Vocabulary '{source}' holds {tokens.Length:N0} tokens; at most {LargestSize:N0} words are accepted.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            var token = tokens[id];
            if (token.Length == 0 || token.Any(char.IsWhiteSpace))
                throw new InvalidDataException($"Vocabulary '{source}' line {id + 1} is empty or holds white space; each line is one token.");
            if (!seen.Add(token))
                throw new InvalidDataException($"Vocabulary '{source}' line {id + 1} repeats the token '{token}'.");
        }

        return new TextVocabulary(tokens);
    }
}
