namespace Anvil.Registry.Versions;

/// <summary>
/// A text model's tokenizer as sealed in its version: <see cref="Vocabulary"/> names the version's
/// file of tokens (one per line, id = line number), the rest are the settings training used.
/// </summary>
public sealed record ModelTokenizer(string Vocabulary, int MaxLength, bool Lowercase, int MaxWords, int MinCount);
