namespace Anvil.Training.Data.Text;

/// <summary>Labelled texts with their class names, as a reader returns them.</summary>
public sealed record TextCorpus(IReadOnlyList<TextDocument> Documents, IReadOnlyList<string> ClassNames);
