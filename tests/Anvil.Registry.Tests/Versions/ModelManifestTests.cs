using System.Text;
using Anvil.Registry.Versions;

namespace Anvil.Registry.Tests.Versions;

/// <summary>Manifests of format anvil.model/2 state input and output kinds; versions sealed as anvil.model/1 still open.</summary>
public sealed class ModelManifestTests
{
    private const string V1Digest = "375c3fe56af551681b951d432d67dc290a2fc36decd46de63ac6d80917b829b7";
    private static readonly string V1Home = Path.Combine(AppContext.BaseDirectory, "TestData", "model-v1");

    [Fact]
    public void AVersionSealedAsAnvilModel1StillOpensAsAnImageClassifier()
    {
        using var verifier = ManifestSigner.OpenForVerification(new AnvilHome(V1Home));

        var version = ModelVersionFiles.Open(Path.Combine(V1Home, "models", "sha256-" + V1Digest), verifier, V1Digest);

        Assert.Equal(ModelManifest.FirstFormat, version.Manifest.Format);
        Assert.Equal("image", version.Manifest.InputKind);
        Assert.Equal(ModelManifest.Probabilities, version.Manifest.OutputKind);
        Assert.Equal(10, version.Manifest.Signature.ClassLabels.Count);
        Assert.Null(version.Manifest.Preprocessing.Tokenizer);
        Assert.NotEmpty(ModelVersionFiles.ReadVerified(version, ModelVersionFiles.OnnxFile));
    }

    [Theory]
    [InlineData("\"format\": \"anvil.model/3\"", "this Anvil reads 'anvil.model/2' and 'anvil.model/1'")]
    [InlineData("\"format\": \"anvil.model/1\", \"input_kind\": \"image\"", "which that format does not have")]
    [InlineData("\"format\": \"anvil.model/2\", \"input_kind\": \"audio\", \"output_kind\": \"probabilities\"", "input_kind 'audio'")]
    [InlineData("\"format\": \"anvil.model/2\", \"input_kind\": \"image\", \"output_kind\": \"logits\"", "output_kind 'logits'")]
    [InlineData("\"format\": \"anvil.model/2\", \"input_kind\": \"features\", \"output_kind\": \"probabilities\"", "preprocessing kind 'image'")]
    public void AManifestWhoseFormatOrKindsDoNotAgreeIsRefusedSayingWhy(string header, string expected)
    {
        var json = Manifest(header, "\"kind\": \"image\"");

        var error = Assert.Throws<RegistryException>(() => ModelManifest.Parse(Encoding.UTF8.GetBytes(json), "manifest.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoiseInAndAnImageOutGoTogether()
    {
        var half = Manifest("\"format\": \"anvil.model/2\", \"input_kind\": \"noise\", \"output_kind\": \"probabilities\"", "\"kind\": \"noise\"");

        var error = Assert.Throws<RegistryException>(() => ModelManifest.Parse(Encoding.UTF8.GetBytes(half), "manifest.json"));

        Assert.Contains("is a generator only in part", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokensManifestNeedsItsTokenizer()
    {
        var without = Manifest("\"format\": \"anvil.model/2\", \"input_kind\": \"tokens\", \"output_kind\": \"probabilities\"", "\"kind\": \"tokens\"");
        var with = Manifest("\"format\": \"anvil.model/2\", \"input_kind\": \"tokens\", \"output_kind\": \"probabilities\"",
            "\"kind\": \"tokens\", \"sequence_length\": 64, \"tokenizer\": {\"vocabulary\": \"vocab.txt\", \"max_length\": 64, \"lowercase\": true, \"max_words\": 100, \"min_count\": 2}");

        var error = Assert.Throws<RegistryException>(() => ModelManifest.Parse(Encoding.UTF8.GetBytes(without), "manifest.json"));
        var parsed = ModelManifest.Parse(Encoding.UTF8.GetBytes(with), "manifest.json");

        Assert.Contains("no preprocessing.tokenizer", error.Message, StringComparison.Ordinal);
        Assert.Equal(new ModelTokenizer("vocab.txt", 64, true, 100, 2), parsed.Preprocessing.Tokenizer);
        Assert.Equal(64, parsed.Preprocessing.SequenceLength);
    }

    [Fact]
    public void CsvColumnsBelongOnlyToAFeatureVectorOfTheSameWidth()
    {
        var columns = "\"columns\": [{\"name\": \"age\", \"fill\": 38.5, \"lower\": null, \"upper\": null}]";
        var image = Manifest("\"format\": \"anvil.model/2\", \"input_kind\": \"image\", \"output_kind\": \"probabilities\"", "\"kind\": \"image\", " + columns);

        var error = Assert.Throws<RegistryException>(() => ModelManifest.Parse(Encoding.UTF8.GetBytes(image), "manifest.json"));

        Assert.Contains("lists 1 CSV columns", error.Message, StringComparison.Ordinal);
    }

    internal static string Manifest(string header, string preprocessing) => $$"""
        {
          {{header}},
          "architecture": "m", "spec": {}, "code_version": "test", "files": {},
          "preprocessing": { {{preprocessing}} },
          "signature": { "inputs": [], "outputs": [], "class_labels": ["a", "b"] }
        }
        """;
}
