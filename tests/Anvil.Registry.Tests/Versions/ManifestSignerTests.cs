using Anvil.Registry.Versions;

namespace Anvil.Registry.Tests.Versions;

/// <summary>The signing key pair is created once, whole and matching, however many registrations race to create it.</summary>
public sealed class ManifestSignerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void SixteenConcurrentFirstCreationsLeaveOneMatchingPairThatVerifiesEverySignature()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var home = new AnvilHome(Path.Combine(_temp.Path, $"home{attempt}"));
            var manifest = "{\"format\":\"anvil.model/1\"}"u8.ToArray();
            using var start = new Barrier(16);
            var signatures = new byte[16][];
            var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var threads = Enumerable.Range(0, 16).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var signer = ManifestSigner.OpenOrCreate(home);
                    signatures[i] = signer.Sign(manifest);
                }
                catch (Exception e) when (e is IOException or RegistryException)
                {
                    errors.Add(e); // bad9c58: "Could not find file '….key.pem.tmp'" or "already exists"
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Empty(errors);

            using var verifier = ManifestSigner.OpenForVerification(home);
            Assert.All(signatures, signature => Assert.True(verifier.Verify(manifest, signature)));
            Assert.Equal(["manifest-signing.key.pem", "manifest-signing.pub.pem"], Directory.GetFiles(Path.Combine(home.Directory, "keys"), "*.pem").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void MismatchedPairIsAClearErrorOnOpen()
    {
        var home = new AnvilHome(Path.Combine(_temp.Path, "home"));
        var other = new AnvilHome(Path.Combine(_temp.Path, "other"));
        ManifestSigner.OpenOrCreate(home).Dispose();
        ManifestSigner.OpenOrCreate(other).Dispose();
        File.Copy(Path.Combine(other.Directory, "keys", "manifest-signing.pub.pem"), Path.Combine(home.Directory, "keys", "manifest-signing.pub.pem"), overwrite: true);

        var error = Assert.Throws<RegistryException>(() => ManifestSigner.OpenOrCreate(home));
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
        Assert.Contains("Delete manifest-signing.pub.pem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPublicKeyIsDerivedFromThePrivateKey()
    {
        var home = new AnvilHome(Path.Combine(_temp.Path, "home"));
        var manifest = "{}"u8.ToArray();
        byte[] signature;
        using (var signer = ManifestSigner.OpenOrCreate(home))
            signature = signer.Sign(manifest);
        File.Delete(Path.Combine(home.Directory, "keys", "manifest-signing.pub.pem"));
        ManifestSigner.OpenOrCreate(home).Dispose();
        using var verifier = ManifestSigner.OpenForVerification(home);
        Assert.True(verifier.Verify(manifest, signature));
    }

    public void Dispose() => _temp.Dispose();
}
