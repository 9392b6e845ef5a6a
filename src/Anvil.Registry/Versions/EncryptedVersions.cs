using Anvil.Registry.Encryption;

namespace Anvil.Registry.Versions;

/// <summary>
/// Registered versions live per organization, <c>&lt;models&gt;/&lt;organization id&gt;/sha256-&lt;manifest digest&gt;</c>, each listed
/// file sealed under that organization's data key; manifest.json and manifest.sig stay readable (the manifest holds
/// digests, signature and metrics, never a customer's input). Two organizations registering the same run get two
/// copies, so erasing one (destroying its data key) never breaks the other's version.
/// </summary>
public static class EncryptedVersions
{
    /// <summary>
    /// Runs <paramref name="buildPlain"/> (a <see cref="ModelVersionFiles.Seal"/> into the models folder it is given) on
    /// a fresh staging folder under <paramref name="modelsRoot"/>, stores the result with <see cref="Encrypt"/> and deletes
    /// the plaintext staging folder, whatever happens.
    /// </summary>
    public static VerifiedModelVersion Build(ModelFileKeys keys, ManifestSigner signer, string modelsRoot, Func<string, VerifiedModelVersion> buildPlain)
    {
        ArgumentNullException.ThrowIfNull(buildPlain);
        var staging = Path.Combine(modelsRoot, ".plain-" + Guid.NewGuid().ToString("N"));
        PrivateFiles.CreateDirectory(staging); // 0700 before the builder makes its own folder inside, so models/ is never world-readable
        PrivateFiles.Restrict(modelsRoot);
        try
        {
            return Encrypt(buildPlain(staging), keys, signer, modelsRoot);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Copies the opened plaintext <paramref name="plain"/> to the organization's folder with every file the manifest lists
    /// sealed, and opens the copy. The same content sealed again for the same organization yields the same folder.
    /// </summary>
    public static VerifiedModelVersion Encrypt(VerifiedModelVersion plain, ModelFileKeys keys, ManifestSigner signer, string modelsRoot)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(keys);
        var organization = keys.OrganizationId;
        if (organization is "." or ".." || organization.IndexOfAny(['/', '\\']) >= 0)
            throw new ArgumentException($"Organization id '{organization}' cannot name a directory.", nameof(keys));
        var organizationRoot = Path.Combine(modelsRoot, organization);
        PrivateFiles.CreateDirectory(organizationRoot);
        var target = Path.Combine(organizationRoot, "sha256-" + plain.Digest);
        if (!Directory.Exists(target))
        {
            var sealing = Path.Combine(organizationRoot, ".sealing-" + Guid.NewGuid().ToString("N"));
            PrivateFiles.CreateDirectory(sealing);
            try
            {
                foreach (var path in Directory.EnumerateFiles(plain.Directory))
                {
                    var name = Path.GetFileName(path);
                    var bytes = plain.Manifest.Files.ContainsKey(name) ? keys.Seal(plain.Digest, name, ModelVersionFiles.ReadVerified(plain, name)) : File.ReadAllBytes(path);
                    using var file = new FileStream(Path.Combine(sealing, name), PrivateFiles.CreateNew());
                    file.Write(bytes);
                    file.Flush(flushToDisk: true);
                }

                try
                {
                    Directory.Move(sealing, target);
                }
                catch (IOException) when (Directory.Exists(target))
                {
                    // another process stored the same version for this organization first
                }
            }
            finally
            {
                if (Directory.Exists(sealing))
                    Directory.Delete(sealing, recursive: true);
            }
        }

        return ModelVersionFiles.Open(target, signer, plain.Digest, keys);
    }

    /// <summary>True when the file at <paramref name="path"/> starts with the envelope's magic.</summary>
    internal static bool IsSealed(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && Envelope.IsSealed(head);
    }
}
