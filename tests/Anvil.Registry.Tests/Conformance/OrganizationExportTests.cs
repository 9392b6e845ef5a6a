using System.Security.Cryptography;
using System.Text.Json;
using Anvil.Registry.Privacy;
using Anvil.Registry.Versions;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// <c>orgs export</c> of a real sealed version (the anvil.model/1 one in TestData): its files are copied only once
/// verified, export.json's digests match, and a changed byte on disk stops the export with one clear reason and no partial copy.
/// </summary>
public abstract class OrganizationExportTests(RegistryBackend backend) : RegistryConformanceTest(backend), IDisposable
{
    private const string Sealed = "sha256-375c3fe56af551681b951d432d67dc290a2fc36decd46de63ac6d80917b829b7";

    private readonly TempDirectory _temp = new();

    [Fact]
    public void AVersionsFilesAreExportedVerifiedAndAChangedByteStopsTheExport()
    {
        var home = new AnvilHome(Path.Combine(_temp.Path, "home"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "model-v1"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(home.Directory, Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "TestData", "model-v1"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var folder = Path.Combine(home.Directory, "models", Sealed);
        var acme = Organizations.Create("acme");
        Models.AddVersion(acme.Id, "cnn", folder, Sealed["sha256-".Length..], null);
        var export = new OrganizationExport(Db, home, Clock);

        var summary = export.Write("acme", Path.Combine(_temp.Path, "out"), () => ManifestSigner.OpenForVerification(home));

        Assert.Equal(1, summary.Counts["versions"]);
        foreach (var name in new[] { "model.onnx", "model.weights", "manifest.json", "manifest.sig" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, name)), File.ReadAllBytes(Path.Combine(summary.Directory, "files", "cnn", "v1", name)));
        var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(summary.Directory, "export.json"))).RootElement.GetProperty("files");
        foreach (var file in index.EnumerateArray())
        {
            var bytes = File.ReadAllBytes(Path.Combine(summary.Directory, file.GetProperty("path").GetString()!));
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        var models = JsonDocument.Parse(File.ReadAllText(Path.Combine(summary.Directory, "models.json"))).RootElement;
        Assert.Equal("cnn", models[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, models[0].GetProperty("versions")[0].GetProperty("manifest").ValueKind);

        var onnx = Path.Combine(folder, "model.onnx");
        var changed = File.ReadAllBytes(onnx);
        changed[^1] ^= 1;
        File.WriteAllBytes(onnx, changed);
        var refused = Assert.Throws<RegistryException>(() => export.Write("acme", Path.Combine(_temp.Path, "out-2"), () => ManifestSigner.OpenForVerification(home)));
        Assert.Contains("model.onnx does not match its digest", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "out-2"))); // nothing half-written is left
    }

    public new void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteOrganizationExportTests() : OrganizationExportTests(new SqliteBackend());

public sealed class PostgresOrganizationExportTests() : OrganizationExportTests(new PostgresBackend());
