using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>A registered version's files are sealed under its organization's data key, per organization.</summary>
public sealed class EncryptedVersionsTests : ServedModelTest
{
    [Fact]
    public void VersionFilesAreSealedOnDiskAndOpenOnlyThroughTheirOrganizationsKeys()
    {
        var opened = Host.Catalog.OpenFiles(Version, Host.Signer);
        var onDisk = File.ReadAllBytes(Path.Combine(Version.Directory, ModelVersionFiles.OnnxFile));

        Assert.Equal(Path.Combine(Host.Home.Directory, "models", Host.Acme.Id, "sha256-" + Version.ManifestDigest), Version.Directory);
        Assert.Equal([0xA7, 0x41, 0x4E, 0x45, 1], onDisk[..5]);
        Assert.Equal(opened.Manifest.Files[ModelVersionFiles.OnnxFile], "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(opened.ReadOnnx())));
        Assert.Equal(onDisk.Length - 6 - 32 - 12 - 16, opened.ReadOnnx().Length); // header with a 32-character key id, nonce, tag
        Assert.False(Directory.EnumerateDirectories(Path.Combine(Host.Home.Directory, "models"), ".plain-*").Any()); // the plaintext staging folder is gone
        var withoutKeys = Assert.Throws<RegistryException>(() => ModelVersionFiles.Open(Version.Directory, Host.Signer, Version.ManifestDigest));
        Assert.Contains("model.onnx is encrypted at rest and no organization's keys were given", withoutKeys.Message, StringComparison.Ordinal);
        var foreign = Assert.Throws<RegistryException>(() => ModelVersionFiles.Open(Version.Directory, Host.Signer, Version.ManifestDigest, Host.Catalog.FileKeys(Host.Globex.Id)));
        Assert.Contains("which organization " + Host.Globex.Id + " does not have", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErasingOneOrganizationsKeyLeavesAnotherOrganizationsCopyOfTheSameVersionServable()
    {
        var globexVersion = Host.AddVersion(Host.Globex); // the same model and origin: the same manifest digest
        Assert.Equal(Version.ManifestDigest, globexVersion.ManifestDigest);
        Assert.NotEqual(Version.Directory, globexVersion.Directory);

        Assert.Equal(1, Host.Database.DataKeys.Destroy(Host.Acme.Id));

        var erased = Assert.Throws<RegistryException>(() => Host.Catalog.OpenFiles(Version, Host.Signer));
        Assert.Contains("data key was destroyed", erased.Message, StringComparison.Ordinal);
        Assert.Equal(globexVersion.ManifestDigest, Host.Catalog.OpenFiles(globexVersion, Host.Signer).Digest);
        Assert.NotEmpty(Host.Catalog.OpenFiles(globexVersion, Host.Signer).ReadOnnx());
    }
}
