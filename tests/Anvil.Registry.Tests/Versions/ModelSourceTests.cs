using System.Text;
using Anvil.Registry.Versions;

namespace Anvil.Registry.Tests.Versions;

/// <summary>The optional lineage of an anvil.model/2 manifest: absent for a version built from a run, checked when present.</summary>
public sealed class ModelSourceTests
{
    private const string Header = "\"format\": \"anvil.model/2\", \"input_kind\": \"image\", \"output_kind\": \"probabilities\"";
    private static readonly string Digest = new('a', 64);

    private static ModelManifest Parse(string json) => ModelManifest.Parse(Encoding.UTF8.GetBytes(json), "manifest.json");

    [Fact]
    public void AnAnvilModel2ManifestWithoutSourceStillReadsAndIsWrittenWithoutOne()
    {
        var manifest = Parse(ModelManifestTests.Manifest(Header, "\"kind\": \"image\""));

        Assert.Null(manifest.Source);
        Assert.DoesNotContain("\"source\"", Encoding.UTF8.GetString(manifest.ToUtf8Bytes()), StringComparison.Ordinal);
    }

    [Fact]
    public void ASourceIsReadAndWrittenBack()
    {
        var json = ModelManifestTests.Manifest(Header + $", \"source\": {{\"version\": 3, \"manifest_digest\": \"{Digest}\", \"method\": \"int8-static\", \"calibration\": 256}}", "\"kind\": \"image\"");

        var manifest = Parse(json);

        Assert.Equal(new ModelSource(3, Digest, "int8-static", 256), manifest.Source);
        Assert.Equal(manifest.Source, Parse(Encoding.UTF8.GetString(manifest.ToUtf8Bytes())).Source);
    }

    [Theory]
    [InlineData("anvil.model/1", 1, "aaaa", "only 'anvil.model/2' has")]
    [InlineData("anvil.model/2", 0, "full", "expected a version ≥ 1")]
    [InlineData("anvil.model/2", 1, "aaaa", "64-character SHA-256 digest")]
    public void ABadSourceIsRefusedSayingWhy(string format, int version, string digest, string expected)
    {
        var header = format == ModelManifest.FirstFormat ? $"\"format\": \"{format}\"" : Header;
        var json = ModelManifestTests.Manifest(header + $", \"source\": {{\"version\": {version}, \"manifest_digest\": \"{(digest == "full" ? Digest : digest)}\", \"method\": \"int8-dynamic\", \"calibration\": 0}}", "\"kind\": \"image\"");

        var error = Assert.Throws<RegistryException>(() => Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
