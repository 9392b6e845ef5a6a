using System.Security.Cryptography;
using Anvil.Registry.Encryption;

namespace Anvil.Registry.Versions;

/// <summary>
/// A model version on disk: a directory named after the SHA-256 of its manifest, holding
/// <c>model.onnx</c>, the weights, <c>manifest.json</c> (with a digest of every other file) and
/// <c>manifest.sig</c>. Sealed once, never changed; every load checks the signature and every digest,
/// and only plain files are read (a symbolic link or FIFO anywhere in the version is refused). A registered
/// version's files other than the manifest and its signature are sealed under its organization's data key
/// (<see cref="EncryptedVersions"/>); digests are over the plaintext, so they are checked after decryption, in memory.
/// </summary>
public static class ModelVersionFiles
{
    public const string ManifestFile = "manifest.json";
    public const string SignatureFile = "manifest.sig";
    public const string OnnxFile = "model.onnx";
    public const string WeightsFile = "model.weights";

    /// <summary>
    /// Seals <paramref name="stagingDirectory"/>: digests its files, writes the manifest that
    /// <paramref name="buildManifest"/> returns for those digests, signs it, and moves the directory to
    /// <c>&lt;modelsRoot&gt;/sha256-&lt;digest&gt;</c>. Sealing identical content twice yields the same directory.
    /// </summary>
    public static VerifiedModelVersion Seal(
        string stagingDirectory,
        Func<IReadOnlyDictionary<string, string>, ModelManifest> buildManifest,
        ManifestSigner signer,
        string modelsRoot)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(stagingDirectory))
            files[Path.GetFileName(path)] = DigestOf(path);
        if (!files.ContainsKey(OnnxFile))
            throw new RegistryException($"Cannot seal '{stagingDirectory}': it has no {OnnxFile}.");

        var manifest = buildManifest(files);
        var bytes = manifest.ToUtf8Bytes();
        File.WriteAllBytes(Path.Combine(stagingDirectory, ManifestFile), bytes);
        File.WriteAllBytes(Path.Combine(stagingDirectory, SignatureFile), signer.Sign(bytes));

        foreach (var path in Directory.EnumerateFiles(stagingDirectory))
            PrivateFiles.Restrict(path);
        PrivateFiles.Restrict(stagingDirectory);

        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        PrivateFiles.CreateDirectory(modelsRoot);
        PrivateFiles.Restrict(modelsRoot); // a builder may have created it with its staging folder
        var target = Path.Combine(modelsRoot, "sha256-" + digest);
        if (Directory.Exists(target))
            Directory.Delete(stagingDirectory, recursive: true); // same content already sealed
        else
            Directory.Move(stagingDirectory, target);
        return Open(target, signer, digest);
    }

    /// <summary>
    /// A version's manifest for display (lineage, metrics), once its bytes match the digest the catalog recorded;
    /// needs no signing key (serving checks the signature with <see cref="Open"/>).
    /// </summary>
    public static ModelManifest ReadManifest(Models.ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var path = Path.Combine(version.Directory, ManifestFile);
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), version.ManifestDigest, StringComparison.Ordinal))
            throw new RegistryException($"Version {version.Version} of '{version.ModelName}': {path} is missing or does not match the digest the registry recorded; the version was changed on disk. Register the run again.");
        return ModelManifest.Parse(bytes, path);
    }

    /// <summary>
    /// Opens a sealed version and checks it: the signature over the manifest, the manifest digest
    /// against <paramref name="expectedDigest"/> (what the catalog recorded), and every file's digest.
    /// A file that was added, removed or changed refuses the whole version. Sealed files are opened with
    /// <paramref name="keys"/> (see <see cref="Models.ModelCatalog.OpenFiles"/>); without keys a sealed file is refused.
    /// </summary>
    public static VerifiedModelVersion Open(string directory, ManifestSigner verifier, string expectedDigest, ModelFileKeys? keys = null)
    {
        var names = PlainFiles(directory);
        if (!names.Contains(ManifestFile))
            throw Refused(directory, $"it has no {ManifestFile}");
        if (!names.Contains(SignatureFile))
            throw Refused(directory, $"it is unsigned ({SignatureFile} is missing)");

        var manifestPath = Path.Combine(directory, ManifestFile);
        var bytes = File.ReadAllBytes(manifestPath);
        if (!verifier.Verify(bytes, File.ReadAllBytes(Path.Combine(directory, SignatureFile))))
            throw Refused(directory, $"the signature does not match {ManifestFile}: the manifest was changed or signed by another key");
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(digest, expectedDigest, StringComparison.Ordinal))
            throw Refused(directory, $"its manifest digest is {digest} but the registry recorded {expectedDigest}");

        var manifest = ModelManifest.Parse(bytes, manifestPath);
        // The trust report is signed on its own (TrustFiles) because a later robustness test or audit may rewrite it.
        var present = names.Where(name => name is not (ManifestFile or SignatureFile) && !TrustFiles.Names.Contains(name)).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, expected) in manifest.Files)
        {
            if (!present.Remove(name))
                throw Refused(directory, $"{name} is listed in the manifest but missing");
            var actual = DigestOf(directory, digest, name, keys);
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
                throw Refused(directory, $"{name} does not match its digest in the signed manifest (expected {expected}, found {actual})");
        }

        if (present.Count > 0)
            throw Refused(directory, $"it holds files the manifest does not list: {string.Join(", ", present.Order(StringComparer.Ordinal))}");
        return new VerifiedModelVersion(directory, digest, manifest) { Keys = keys };
    }

    /// <summary>
    /// Reads <paramref name="name"/> of an opened version into memory once and checks those bytes
    /// against the signed manifest, so what the caller runs is exactly what was verified — even if the
    /// file changed since <see cref="Open"/> checked it.
    /// </summary>
    public static byte[] ReadVerified(VerifiedModelVersion version, string name)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!version.Manifest.Files.TryGetValue(name, out var expected))
            throw Refused(version.Directory, $"{name} is not listed in the manifest");
        var names = PlainFiles(version.Directory);
        if (!names.Contains(name))
            throw Refused(version.Directory, $"{name} is listed in the manifest but missing");
        var bytes = ReadPlain(version.Directory, version.Digest, name, version.Keys);
        var actual = Digest(bytes);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
            throw Refused(version.Directory, $"{name} does not match its digest in the signed manifest (expected {expected}, found {actual})");
        return bytes;
    }

    /// <summary>The names in <paramref name="directory"/>, refusing a linked directory and anything but plain files.</summary>
    private static HashSet<string> PlainFiles(string directory)
    {
        var info = new DirectoryInfo(directory);
        if (!info.Exists)
            throw Refused(directory, "the directory does not exist");
        if (FileKinds.IsLink(info))
            throw Refused(directory, "the directory is a symbolic link");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(directory))
        {
            if (FileKinds.NotARegularFile(path) is { } kind)
                throw Refused(directory, $"{Path.GetFileName(path)} is {kind}; a version holds plain files only");
            names.Add(Path.GetFileName(path));
        }

        return names;
    }

    /// <summary>"sha256:&lt;hex&gt;" of <paramref name="bytes"/>, as manifests and trust reports list files.</summary>
    internal static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string DigestOf(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // A plaintext file is hashed as a stream; a sealed one is decrypted in memory first.
    private static string DigestOf(string directory, string manifestDigest, string name, ModelFileKeys? keys)
    {
        var path = Path.Combine(directory, name);
        return EncryptedVersions.IsSealed(path) ? Digest(ReadPlain(directory, manifestDigest, name, keys)) : DigestOf(path);
    }

    /// <summary>A file's plaintext: as stored, or decrypted with <paramref name="keys"/> when sealed.</summary>
    internal static byte[] ReadPlain(string directory, string manifestDigest, string name, ModelFileKeys? keys)
    {
        var bytes = File.ReadAllBytes(Path.Combine(directory, name));
        if (!Envelope.IsSealed(bytes))
            return bytes;
        if (keys is null)
            throw Refused(directory, $"{name} is encrypted at rest and no organization's keys were given; open the version through the registry (ModelCatalog.OpenFiles)");
        return keys.Open(manifestDigest, name, bytes);
    }

    private static RegistryException Refused(string directory, string reason) => new(
        $"Refusing model version '{directory}': {reason}. A sealed version never changes; register the run again to get a trusted version.");
}

/// <summary>A version whose signature and file digests were checked when it was opened.</summary>
public sealed record VerifiedModelVersion(string Directory, string Digest, ModelManifest Manifest)
{
    /// <summary>The keys that open its sealed files; null for a version stored in plaintext (unregistered, or from before encryption).</summary>
    public ModelFileKeys? Keys { get; init; }

    /// <summary>model.onnx, read once and checked against the signed manifest (see <see cref="ModelVersionFiles.ReadVerified"/>).</summary>
    public byte[] ReadOnnx() => ModelVersionFiles.ReadVerified(this, ModelVersionFiles.OnnxFile);
}
