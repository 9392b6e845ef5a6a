namespace Anvil.Training.Data.Text;

/// <summary>One labelled text of a corpus.</summary>
/// <param name="Text">The whole text as read (for an e-mail: headers and body).</param>
/// <param name="Label">Class index into the corpus's class names.</param>
/// <param name="Group">Texts sharing a group are near-copies and always land on the same side of a split.</param>
/// <param name="Source">Where it came from (file path), for error messages.</param>
public sealed record TextDocument(string Text, int Label, string Group, string Source);
