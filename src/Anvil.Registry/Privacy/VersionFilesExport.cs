using System.Security.Cryptography;
using Anvil.Registry.Models;
using Anvil.Registry.Versions;

namespace Anvil.Registry.Privacy;

/// <summary>
/// Copies a model version's files into an export, each read once and checked before it is written: the files the
/// signed manifest lists through <see cref="ModelVersionFiles.ReadVerified"/> (decrypted: the export is plaintext), the manifest against the digest the
/// catalog recorded and its signature, the trust report against its own signature and the summary digests it holds.
/// A version that fails a check is refused with the reason; nothing unverified is exported.
/// </summary>
internal static class VersionFilesExport
{
    /// <summary>Writes the version's files under <paramref name="folder"/>; returns the manifest's bytes and the names written.</summary>
    public static (byte[] Manifest, IReadOnlyList<string> Names) Copy(ModelCatalog catalog, ModelVersion version, ManifestSigner verifier, ExportDirectory into, string folder)
    {
        var verified = catalog.OpenFiles(version, verifier); // decrypted with the organization's data key, in memory
        var names = new List<string>();
        foreach (var name in verified.Manifest.Files.Keys)
        {
            into.Write($"{folder}/{PlainName(version, name)}", ModelVersionFiles.ReadVerified(verified, name));
            names.Add(name);
        }

        var manifest = ReadPlain(version, ModelVersionFiles.ManifestFile);
        var signature = ReadPlain(version, ModelVersionFiles.SignatureFile);
        if (Convert.ToHexStringLower(SHA256.HashData(manifest)) != version.ManifestDigest || !verifier.Verify(manifest, signature))
            throw Changed(version, ModelVersionFiles.ManifestFile);
        into.Write($"{folder}/{ModelVersionFiles.ManifestFile}", manifest);
        into.Write($"{folder}/{ModelVersionFiles.SignatureFile}", signature);
        names.AddRange([ModelVersionFiles.ManifestFile, ModelVersionFiles.SignatureFile]);

        if (TrustFiles.Read(version.Directory, version.ManifestDigest, verifier) is { } report)
        {
            var json = ReadPlain(version, TrustFiles.ReportFile);
            var trustSignature = ReadPlain(version, TrustFiles.SignatureFile);
            if (!verifier.Verify(json, trustSignature))
                throw Changed(version, TrustFiles.ReportFile);
            into.Write($"{folder}/{TrustFiles.ReportFile}", json);
            into.Write($"{folder}/{TrustFiles.SignatureFile}", trustSignature);
            names.AddRange([TrustFiles.ReportFile, TrustFiles.SignatureFile]);
            foreach (var (name, digest) in report.Summary)
            {
                var bytes = ReadPlain(version, PlainName(version, name));
                if (ModelVersionFiles.Digest(bytes) != digest)
                    throw Changed(version, name);
                into.Write($"{folder}/{name}", bytes);
                names.Add(name);
            }
        }

        return (manifest, names);
    }

    private static byte[] ReadPlain(ModelVersion version, string name)
    {
        var path = Path.Combine(version.Directory, name);
        if (FileKinds.NotARegularFile(path) is { } kind)
            throw new RegistryException($"Version {version.Version} of '{version.ModelName}': {name} is {kind}; a version holds plain files only, so it is not exported.");
        return File.ReadAllBytes(path);
    }

    // Names come from a signed manifest or report; one that could leave the export's folder is refused all the same.
    private static string PlainName(ModelVersion version, string name) =>
        name.Length > 0 && name is not ("." or "..") && name == Path.GetFileName(name) && name.IndexOfAny(['/', '\\', '\0']) < 0
            ? name
            : throw new RegistryException($"Version {version.Version} of '{version.ModelName}' lists a file named '{name}', which is not a plain file name; it is not exported.");

    private static RegistryException Changed(ModelVersion version, string name) => new(
        $"Version {version.Version} of '{version.ModelName}': {name} changed while it was being exported or does not match its signature; run the export again, or register the version again if it keeps failing.");
}
