namespace Anvil.Registry.Models;

/// <summary>One immutable, numbered version of a registered model: a content-addressed directory on disk.</summary>
public sealed record ModelVersion(
    string ModelId,
    string OrganizationId,
    string ModelName,
    int Version,
    string Directory,
    string ManifestDigest,
    string? RunId,
    DateTimeOffset CreatedAt);
