using System.Security.Cryptography;

namespace Anvil.Registry.Versions;

/// <summary>
/// Signs and verifies manifests with ECDSA P-256 over SHA-256. The key pair lives in
/// <c>&lt;home&gt;/keys/</c>: the private key (mode 0600) is needed only to register versions; serving
/// replicas need only the public key, so a replica that is broken into cannot sign a model.
/// </summary>
public sealed class ManifestSigner : IDisposable
{
    private const string PrivateKeyFile = "manifest-signing.key.pem";
    private const string PublicKeyFile = "manifest-signing.pub.pem";

    private readonly ECDsa _key;
    private readonly bool _canSign;

    private ManifestSigner(ECDsa key, bool canSign)
    {
        _key = key;
        _canSign = canSign;
    }

    /// <summary>Opens the home's key pair, creating it on first use.</summary>
    public static ManifestSigner OpenOrCreate(AnvilHome home)
    {
        var directory = Path.Combine(home.Directory, "keys");
        var privatePath = Path.Combine(directory, PrivateKeyFile);
        var publicPath = Path.Combine(directory, PublicKeyFile);
        if (!File.Exists(privatePath))
        {
            Directory.CreateDirectory(directory);
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temporary = privatePath + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // owner only
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(created.ExportPkcs8PrivateKeyPem());
            }

            File.WriteAllText(publicPath, created.ExportSubjectPublicKeyInfoPem());
            File.Move(temporary, privatePath, overwrite: false);
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(privatePath));
        return new ManifestSigner(key, canSign: true);
    }

    /// <summary>Opens the public key only (what serving needs).</summary>
    public static ManifestSigner OpenForVerification(AnvilHome home)
    {
        var publicPath = Path.Combine(home.Directory, "keys", PublicKeyFile);
        if (!File.Exists(publicPath))
        {
            throw new RegistryException(
                $"The manifest verification key '{publicPath}' is missing, so no model version can be trusted. " +
                "Register a model with './anvil register' (it creates the key pair) or copy the key from the registering machine.");
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(publicPath));
        return new ManifestSigner(key, canSign: false);
    }

    public byte[] Sign(byte[] manifest)
    {
        if (!_canSign)
            throw new InvalidOperationException("This signer holds only the public key; open it with OpenOrCreate to sign.");
        return _key.SignData(manifest, HashAlgorithmName.SHA256);
    }

    public bool Verify(byte[] manifest, byte[] signature) => _key.VerifyData(manifest, signature, HashAlgorithmName.SHA256);

    public void Dispose() => _key.Dispose();
}
