using System.Security.Cryptography;

namespace Anvil.Registry.Versions;

/// <summary>
/// Signs and verifies manifests with ECDSA P-256 over SHA-256. The key pair lives in
/// <c>&lt;home&gt;/keys/</c> (0700): the private key (0600) is needed only to register versions; serving
/// replicas need only the public key, so a replica that is broken into cannot sign a model. A replica
/// can pin the public key outside the home (<see cref="PinnedKeyVariable"/>), so whoever can write
/// <c>$ANVIL_HOME</c> cannot swap the trust anchor along with the models.
/// </summary>
public sealed class ManifestSigner : IDisposable
{
    /// <summary>Environment variable naming a PEM public key that serving trusts instead of <c>&lt;home&gt;/keys/</c>.</summary>
    public const string PinnedKeyVariable = "ANVIL_MODEL_VERIFY_KEY";

    private const string PrivateKeyFile = "manifest-signing.key.pem";
    private const string PublicKeyFile = "manifest-signing.pub.pem";

    private readonly ECDsa _key;
    private readonly bool _canSign;

    private ManifestSigner(ECDsa key, bool canSign)
    {
        _key = key;
        _canSign = canSign;
    }

    /// <summary>
    /// Opens the home's key pair, creating it on first use. Safe when several processes create it at
    /// once: creation holds a lock file, each key file appears whole (written aside and renamed into
    /// place), the public key is derived from the private key, and a pair that does not match is refused.
    /// </summary>
    public static ManifestSigner OpenOrCreate(AnvilHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var directory = home.CreatePrivateDirectory("keys");
        var privatePath = Path.Combine(directory, PrivateKeyFile);
        var publicPath = Path.Combine(directory, PublicKeyFile);
        if (!File.Exists(privatePath) || !File.Exists(publicPath))
            CreateMissing(directory, privatePath, publicPath);

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(privatePath));
        var publicPem = key.ExportSubjectPublicKeyInfoPem();
        if (!string.Equals(File.ReadAllText(publicPath).Trim(), publicPem.Trim(), StringComparison.Ordinal))
        {
            key.Dispose();
            throw new RegistryException(
                $"The signing key pair in '{directory}' does not match: {PublicKeyFile} is not the public half of {PrivateKeyFile}, " +
                $"so versions signed now would be refused when served. Delete {PublicKeyFile} (Anvil derives it again from the private key) " +
                "and copy the new one to every replica that pins it.");
        }

        return new ManifestSigner(key, canSign: true);
    }

    private static void CreateMissing(string directory, string privatePath, string publicPath)
    {
        using var creating = PrivateFiles.Lock(Path.Combine(directory, ".creating.lock"), TimeSpan.FromSeconds(30));
        if (!File.Exists(privatePath))
        {
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            PrivateFiles.WriteAtomically(privatePath, created.ExportPkcs8PrivateKeyPem());
        }

        if (!File.Exists(publicPath))
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(privatePath));
            PrivateFiles.WriteAtomically(publicPath, key.ExportSubjectPublicKeyInfoPem()); // derived after the private key is in place
        }
    }

    /// <summary>
    /// Opens the public key only (what serving needs): <paramref name="pinnedPublicKey"/> when given —
    /// then <c>&lt;home&gt;/keys/</c> is ignored — else the home's.
    /// </summary>
    public static ManifestSigner OpenForVerification(AnvilHome home, string? pinnedPublicKey = null)
    {
        ArgumentNullException.ThrowIfNull(home);
        var publicPath = pinnedPublicKey ?? Path.Combine(home.Directory, "keys", PublicKeyFile);
        if (!File.Exists(publicPath))
        {
            throw new RegistryException(pinnedPublicKey is null
                ? $"The manifest verification key '{publicPath}' is missing, so no model version can be trusted. " +
                  "Register a model with './anvil register' (it creates the key pair) or copy the key from the registering machine."
                : $"The pinned verification key '{publicPath}' (--verify-key or {PinnedKeyVariable}) does not exist. " +
                  $"Copy {PublicKeyFile} from the registering machine's keys/ folder there.");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(publicPath));
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new RegistryException($"The verification key '{publicPath}' is not a PEM public key: {e.Message} Use {PublicKeyFile} from the registering machine.");
        }

        return new ManifestSigner(key, canSign: false);
    }

    public byte[] Sign(byte[] manifest)
    {
        if (!_canSign)
            throw new InvalidOperationException("This signer holds only the public key; open it with OpenOrCreate to sign.");
        return _key.SignData(manifest, HashAlgorithmName.SHA256);
    }

    public bool Verify(byte[] manifest, byte[] signature) => _key.VerifyData(manifest, signature, HashAlgorithmName.SHA256);

    /// <summary>The public key as PEM (SubjectPublicKeyInfo): what anyone needs to verify a manifest.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public void Dispose() => _key.Dispose();
}
