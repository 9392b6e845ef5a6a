using Anvil.Registry.Storage;

namespace Anvil.Registry.Encryption;

/// <summary>
/// Seals and opens the files of one organization's model versions under its data key (the envelope of
/// <see cref="Envelope"/>, bound to the organization, the version's manifest digest and the file name). Get one from
/// <see cref="Models.ModelCatalog.FileKeys"/>.
/// </summary>
public sealed class ModelFileKeys
{
    private readonly RegistryDatabase _db;

    internal ModelFileKeys(RegistryDatabase db, string organizationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(organizationId);
        _db = db;
        OrganizationId = organizationId;
    }

    public string OrganizationId { get; }

    internal byte[] Seal(string manifestDigest, string name, byte[] plaintext) =>
        _db.Write(session => SealedColumns.SealAlways(session, OrganizationId, Context(manifestDigest, name), plaintext));

    /// <summary>The plaintext of a sealed file; a changed byte, a file of another version or organization, or an erased key is a <see cref="RegistryException"/>.</summary>
    internal byte[] Open(string manifestDigest, string name, byte[] stored) =>
        _db.Read(session => SealedColumns.OpenAlways(session, OrganizationId, Context(manifestDigest, name), stored));

    private static string Context(string manifestDigest, string name) => $"models/sha256-{manifestDigest}/{name}";
}
