namespace Anvil.Preprocessing.Text;

/// <summary>One text as token ids.</summary>
/// <param name="Ids">At most <see cref="TextTokenizerOptions.MaxLength"/> ids, unpadded.</param>
/// <param name="Truncated">The text had more tokens than the maximum length; only the first ones were kept.</param>
/// <param name="UnknownCount">How many of <paramref name="Ids"/> are the unknown-word id.</param>
public sealed record TextEncoding(IReadOnlyList<int> Ids, bool Truncated, int UnknownCount)
{
    /// <summary>True when no token of the text is in the vocabulary (or the text had no words at all).</summary>
    public bool NothingKnown => UnknownCount == Ids.Count;
}
