using Anvil.Preprocessing.Text;
using Anvil.Registry;
using Anvil.Registry.Versions;

namespace Anvil.Serving.Inputs;

/// <summary>
/// The tokenizer a text model was trained with, rebuilt from its version: the vocabulary from the bytes of
/// <c>vocab.txt</c> read once and checked against the signed manifest, the options from the manifest — so
/// the server's ids are training's ids.
/// </summary>
public static class VersionTokenizer
{
    /// <summary>The version's tokenizer; null for a model that does not take text.</summary>
    public static TextTokenizer? Open(VerifiedModelVersion version, IReadOnlyList<long> sampleShape)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(sampleShape);
        var manifest = version.Manifest;
        if (manifest.InputKind != "tokens")
            return null;
        var settings = manifest.Preprocessing.Tokenizer
            ?? throw Refused(version, "it takes tokens but has no preprocessing.tokenizer");
        if (sampleShape.Count != 1 || sampleShape[0] != settings.MaxLength)
            throw Refused(version, $"its tokenizer's max_length {settings.MaxLength} differs from its input of [{string.Join(", ", sampleShape)}] ids");
        var bytes = ModelVersionFiles.ReadVerified(version, settings.Vocabulary);
        try
        {
            var options = new TextTokenizerOptions(settings.MaxLength, settings.Lowercase, settings.MaxWords, settings.MinCount);
            return new TextTokenizer(TextVocabulary.Parse(bytes, Path.Combine(version.Directory, settings.Vocabulary)), options);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw Refused(version, e.Message);
        }
    }

    private static RegistryException Refused(VerifiedModelVersion version, string reason) =>
        new($"Refusing model version '{version.Directory}': {reason}. Register the run again to get a servable version.");
}
