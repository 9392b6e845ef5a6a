using Anvil.Registry;
using Anvil.Registry.Models;
using Anvil.Registry.Storage;
using Anvil.Registry.Versions;

namespace Anvil.Bench;

/// <summary>
/// The registered model version stored in a version directory, opened as <c>./anvil serve</c> opens it: through the
/// registry, its signature and digests checked and its files decrypted with its organization's data key (decision 0019).
/// </summary>
internal static class RegisteredVersion
{
    public static VerifiedModelVersion Open(string versionDirectory)
    {
        var home = AnvilHome.Resolve();
        using var verifier = ManifestSigner.OpenForVerification(home);
        using var database = RegistryDatabase.OpenDefault(TimeProvider.System);
        var catalog = new ModelCatalog(database, TimeProvider.System);
        var directory = Path.GetFullPath(versionDirectory).TrimEnd('/');
        var organizationId = Path.GetFileName(Path.GetDirectoryName(directory)) ?? ""; // models/<organization id>/sha256-…
        var version = catalog.List(organizationId)
            .SelectMany(model => catalog.Versions(organizationId, model.Name))
            .FirstOrDefault(v => Path.GetFullPath(v.Directory).TrimEnd('/') == directory)
            ?? throw new ArgumentException($"No registered model version is stored in {versionDirectory}; pass the directory ./anvil models show NAME --org ORG --json prints.");
        return catalog.OpenFiles(version, verifier);
    }
}
