namespace Anvil.Registry.Tenancy;

/// <summary>
/// An API key as stored: everything but the secret, which only its creator ever saw. A key with
/// <see cref="Models"/> may use only those models of its organization; null means all of them.
/// </summary>
public sealed record ApiKey(
    string Id,
    string OrganizationId,
    string OrganizationName,
    string PlanName,
    Role Role,
    string? Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    IReadOnlyList<string>? Models = null)
{
    /// <summary>Whether this key's scope includes <paramref name="modelName"/>.</summary>
    public bool MayUse(string modelName) => Models is null || Models.Contains(modelName, StringComparer.Ordinal);
}
