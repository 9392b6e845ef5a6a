using Anvil.Export.Tests.Support;
using Anvil.Preprocessing.Text;
using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Training.Models;

namespace Anvil.Export.Tests;

/// <summary>A text model's version seals the vocabulary training fitted, so serving tokenizes exactly as training did.</summary>
public sealed class TextModelVersionTests : IDisposable
{
    private static readonly ModelOrigin Origin = new(RunId: null, DatasetHash: null, Metrics: new Dictionary<string, double>());
    private readonly string _home = Directory.CreateTempSubdirectory("anvil-export-tests-").FullName;

    private static ModelSpec TextSpec() => SequenceModels.Text(LayerTypes.Gru) with
    {
        Tokenizer = new TextTokenizerOptions(MaxLength: SequenceModels.MaxLength, Lowercase: true, MaxWords: 48, MinCount: 1),
    };

    [Fact]
    public void TheVocabularyIsSealedDigestedAndNamedByTheManifest()
    {
        var vocabulary = Path.Combine(_home, "vocab.txt");
        TextVocabulary.Fit(["free money now", "meeting at noon", "money for the meeting"], new TextTokenizerOptions(MinCount: 1)).Save(vocabulary);
        using var model = SequenceModels.Build(TextSpec());
        var home = new AnvilHome(_home);
        using var signer = ManifestSigner.OpenOrCreate(home);

        var version = ModelVersionBuilder.Build(model, Origin, signer, Path.Combine(_home, "models"), vocabulary);

        using var verifier = ManifestSigner.OpenForVerification(home);
        var opened = ModelVersionFiles.Open(version.Directory, verifier, version.Digest);
        Assert.Equal("tokens", opened.Manifest.InputKind);
        Assert.Equal(ModelManifest.Probabilities, opened.Manifest.OutputKind);
        Assert.Equal(new ModelTokenizer(TextVocabulary.FileName, SequenceModels.MaxLength, true, 48, 1), opened.Manifest.Preprocessing.Tokenizer);
        Assert.Equal(SequenceModels.MaxLength, opened.Manifest.Preprocessing.SequenceLength);
        Assert.True(opened.Manifest.Files.ContainsKey(TextVocabulary.FileName));
        Assert.Equal(File.ReadAllBytes(vocabulary), ModelVersionFiles.ReadVerified(opened, TextVocabulary.FileName));
    }

    [Fact]
    public void ATextModelWithoutItsVocabularyIsRefusedBeforeAnythingIsWritten()
    {
        using var model = SequenceModels.Build(TextSpec());
        using var signer = ManifestSigner.OpenOrCreate(new AnvilHome(_home));
        var models = Path.Combine(_home, "models");

        var error = Assert.Throws<ArgumentException>(() => ModelVersionBuilder.Build(model, Origin, signer, models, vocabularyPath: null));

        Assert.Contains("vocab.txt", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(models) && Directory.EnumerateFileSystemEntries(models).Any());
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
