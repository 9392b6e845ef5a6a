using System.Net;
using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>A sealed version whose files were changed, added, removed or unsigned is refused with a clear error.</summary>
public sealed class ModelVersionFilesTests : ServedModelTest
{

    private string Refusal() => Assert.Throws<RegistryException>(() => ModelVersionFiles.Open(Version.Directory, Host.Signer, Version.ManifestDigest)).Message;

    [Fact]
    public void IntactVersionOpensAndNamesEveryFile()
    {
        var opened = ModelVersionFiles.Open(Version.Directory, Host.Signer, Version.ManifestDigest);
        Assert.Equal(["model.onnx", "model.weights"], opened.Manifest.Files.Keys.Order(StringComparer.Ordinal));
        Assert.EndsWith(Version.ManifestDigest, Version.Directory, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedOnnxIsRefused()
    {
        var path = Path.Combine(Version.Directory, "model.onnx");
        var bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("model.onnx does not match its digest", Refusal(), StringComparison.Ordinal);
    }

    [Fact]
    public void EditedManifestIsRefused()
    {
        var path = Path.Combine(Version.Directory, "manifest.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"test_accuracy\": 0.5", "\"test_accuracy\": 0.99", StringComparison.Ordinal));
        Assert.Contains("signature does not match", Refusal(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnsignedVersionIsRefused()
    {
        File.Delete(Path.Combine(Version.Directory, "manifest.sig"));
        Assert.Contains("unsigned", Refusal(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddedOrRemovedFilesAreRefused()
    {
        File.WriteAllText(Path.Combine(Version.Directory, "extra.py"), "import os");
        Assert.Contains("extra.py", Refusal(), StringComparison.Ordinal);
        File.Delete(Path.Combine(Version.Directory, "extra.py"));
        File.Delete(Path.Combine(Version.Directory, "model.weights"));
        Assert.Contains("model.weights is listed in the manifest but missing", Refusal(), StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestSignedByAnotherKeyIsRefused()
    {
        var otherHome = new AnvilHome(Path.Combine(Host.Directory, "other"));
        using var other = ManifestSigner.OpenOrCreate(otherHome);
        var manifest = File.ReadAllBytes(Path.Combine(Version.Directory, "manifest.json"));
        File.WriteAllBytes(Path.Combine(Version.Directory, "manifest.sig"), other.Sign(manifest));
        Assert.Contains("signature does not match", Refusal(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerRefusesToServeATamperedVersionAndSaysSo()
    {
        var path = Path.Combine(Version.Directory, "model.onnx");
        File.AppendAllText(path, "tampered");
        using var client = Host.Client(Host.CreateKey(Host.Acme));
        using var response = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var detail = await Requests.DetailAsync(response);
        Assert.Contains("failed signature or digest verification", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Directory, detail, StringComparison.Ordinal);
        Assert.Equal(0, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }
}
