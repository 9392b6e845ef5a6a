namespace Anvil.Preprocessing.Text;

/// <summary>
/// How texts become token ids: saved with a model version, so serving tokenizes exactly as training did.
/// </summary>
/// <param name="MaxLength">Tokens kept per text; longer texts are truncated (and say so). Every sample is padded to this length.</param>
/// <param name="Lowercase">Fold case before splitting into words.</param>
/// <param name="MaxWords">Largest vocabulary fitted, not counting the padding and unknown tokens.</param>
/// <param name="MinCount">A word enters the vocabulary only if it occurs at least this often in the training texts.</param>
public sealed record TextTokenizerOptions(int MaxLength = 256, bool Lowercase = true, int MaxWords = 20_000, int MinCount = 2)
{
    /// <summary>Upper bound on <see cref="MaxLength"/>: keeps one sample's ids (8 bytes each) well under a megabyte.</summary>
    public const int LongestMaxLength = 65_536;

    /// <summary>Throws when a field is out of range, naming the field and its valid range.</summary>
    public void Validate()
    {
        if (MaxLength is < 1 or > LongestMaxLength)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, $"max_length must be between 1 and {LongestMaxLength:N0} tokens.");
        if (MaxWords is < 1 or > TextVocabulary.LargestSize)
            throw new ArgumentOutOfRangeException(nameof(MaxWords), MaxWords, $"max_words must be between 1 and {TextVocabulary.LargestSize:N0}.");
        if (MinCount < 1)
            throw new ArgumentOutOfRangeException(nameof(MinCount), MinCount, "min_count must be at least 1.");
    }
}
