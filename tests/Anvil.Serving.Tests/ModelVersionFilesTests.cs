using System.Net;
using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>A sealed version whose files were changed, added, removed or unsigned is refused with a clear error.</summary>
public sealed class ModelVersionFilesTests : ServedModelTest
{

    private string Refusal() => Assert.Throws<RegistryException>(() => Host.Catalog.OpenFiles(Version, Host.Signer)).Message;

    [Fact]
    public void IntactVersionOpensAndNamesEveryFile()
    {
        var opened = Host.Catalog.OpenFiles(Version, Host.Signer);
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
        Assert.Contains("model.onnx was refused: its authentication tag does not match", Refusal(), StringComparison.Ordinal); // sealed: the tag catches it before the digest
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
    public void TheTrustReportBesideTheManifestIsCheckedOnItsOwnAndAnyOtherNameStillRefuses()
    {
        foreach (var name in TrustFiles.Names)
            File.WriteAllText(Path.Combine(Version.Directory, name), "rewritten after sealing");
        Assert.Equal(Version.ManifestDigest, Host.Catalog.OpenFiles(Version, Host.Signer).Digest);
        Assert.Throws<RegistryException>(() => TrustFiles.Read(Version.Directory, Version.ManifestDigest, Host.Signer)); // not signed as a report
        File.WriteAllText(Path.Combine(Version.Directory, "trust.json.bak"), "{}");
        Assert.Contains("trust.json.bak", Refusal(), StringComparison.Ordinal);
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

    [Fact]
    public async Task OnnxReplacedAfterListingIsRefusedNotServedWithTheOtherModelsAnswers()
    {
        var second = Host.AddVersion(Host.Acme, seed: 7);
        using (var listed = await Client.GetAsync(new Uri("/v1/models/fashion", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode); // verifies every version's manifest and files
        File.Copy(Path.Combine(Version.Directory, "model.onnx"), Path.Combine(second.Directory, "model.onnx"), overwrite: true);

        using var response = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=2");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }

    [Fact]
    public void SymbolicLinkToAnIdenticalCopyIsRefused()
    {
        var path = Path.Combine(Version.Directory, "model.weights");
        var copy = Path.Combine(Host.Directory, "weights-copy");
        File.Move(path, copy);
        File.CreateSymbolicLink(path, copy);
        Assert.Contains("model.weights is a symbolic link", Refusal(), StringComparison.Ordinal);
    }

    [Fact]
    public void VersionDirectoryThatIsASymbolicLinkIsRefused()
    {
        var real = Version.Directory + "-real";
        Directory.Move(Version.Directory, real);
        Directory.CreateSymbolicLink(Version.Directory, real);
        Assert.Contains("the directory is a symbolic link", Refusal(), StringComparison.Ordinal);
    }

    [Fact]
    public void FifoOrFolderInTheVersionIsRefusedWithoutBlocking()
    {
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(Version.Directory, "pipe")))
            mkfifo.WaitForExit();
        Assert.Contains("pipe is a FIFO", Refusal(), StringComparison.Ordinal);
        File.Delete(Path.Combine(Version.Directory, "pipe"));
        Directory.CreateDirectory(Path.Combine(Version.Directory, "nested"));
        Assert.Contains("nested is a directory", Refusal(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnnxSwappedForALinkAfterOpeningIsRefusedWhenRead()
    {
        var opened = Host.Catalog.OpenFiles(Version, Host.Signer);
        var path = Path.Combine(Version.Directory, "model.onnx");
        var copy = Path.Combine(Host.Directory, "onnx-copy");
        File.Move(path, copy);
        File.CreateSymbolicLink(path, copy);
        var error = Assert.Throws<RegistryException>(opened.ReadOnnx);
        Assert.Contains("model.onnx is a symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnnxChecksTheBytesItReturns()
    {
        var opened = Host.Catalog.OpenFiles(Version, Host.Signer);
        Assert.Equal(opened.Manifest.Files["model.onnx"], "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(opened.ReadOnnx())));
        File.AppendAllText(Path.Combine(Version.Directory, "model.onnx"), "x");
        Assert.Contains("model.onnx was refused: its authentication tag does not match", Assert.Throws<RegistryException>(opened.ReadOnnx).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PinnedKeyIsTrustedInsteadOfTheHomesKey()
    {
        using var other = ManifestSigner.OpenOrCreate(new AnvilHome(Path.Combine(Host.Directory, "other")));
        var pinned = Path.Combine(Host.Directory, "other", "keys", "manifest-signing.pub.pem");
        using var pinnedVerifier = ManifestSigner.OpenForVerification(Host.Home, pinned);
        var error = Assert.Throws<RegistryException>(() => Host.Catalog.OpenFiles(Version, pinnedVerifier));
        Assert.Contains("signed by another key", error.Message, StringComparison.Ordinal);

        using var homeKeyAsPin = ManifestSigner.OpenForVerification(new AnvilHome(Path.Combine(Host.Directory, "empty")), Path.Combine(Host.Directory, "keys", "manifest-signing.pub.pem"));
        Assert.Equal(Version.ManifestDigest, Host.Catalog.OpenFiles(Version, homeKeyAsPin).Digest);
    }

    [Fact]
    public void MissingOrMalformedPinnedKeyIsAClearError()
    {
        var missing = Assert.Throws<RegistryException>(() => ManifestSigner.OpenForVerification(Host.Home, Path.Combine(Host.Directory, "nope.pem")));
        Assert.Contains("ANVIL_MODEL_VERIFY_KEY", missing.Message, StringComparison.Ordinal);
        var garbage = Path.Combine(Host.Directory, "garbage.pem");
        File.WriteAllText(garbage, "not a key");
        Assert.Contains("is not a PEM public key", Assert.Throws<RegistryException>(() => ManifestSigner.OpenForVerification(Host.Home, garbage)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassLabelWithNulIsRefusedAtRegister()
    {
        var spec = ServingHost.TinySpec() with { ClassNames = [.. ServingHost.Classes[..9], "Ankle\0boot"] };
        using var model = Anvil.Training.Models.ModelBuilder.Build(spec);
        var origin = new Anvil.Export.ModelOrigin(null, "test-dataset", new Dictionary<string, double>());
        var error = Assert.Throws<RegistryException>(() => Anvil.Export.ModelVersionBuilder.Build(model, origin, Host.Signer, Path.Combine(Host.Home.Directory, "models")));
        Assert.Contains("class label 9", error.Message, StringComparison.Ordinal);
        Assert.Contains("NUL character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void SealedVersionIsOwnerOnly()
    {
        const UnixFileMode folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(folder, File.GetUnixFileMode(Path.Combine(Host.Home.Directory, "models")));
        Assert.Equal(folder, File.GetUnixFileMode(Version.Directory));
        Assert.All(Directory.GetFiles(Version.Directory), file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }
}
