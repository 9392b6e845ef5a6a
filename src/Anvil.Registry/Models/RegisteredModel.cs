namespace Anvil.Registry.Models;

/// <summary>A named model of one organization, its newest version number and its aliases (alias → version).</summary>
public sealed record RegisteredModel(
    string Id,
    string OrganizationId,
    string Name,
    DateTimeOffset CreatedAt,
    int LatestVersion,
    IReadOnlyDictionary<string, int> Aliases);
