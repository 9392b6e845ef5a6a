namespace Anvil.Registry.Tenancy;

/// <summary>An API key as stored: everything but the secret, which only its creator ever saw.</summary>
public sealed record ApiKey(
    string Id,
    string OrganizationId,
    string OrganizationName,
    string PlanName,
    Role Role,
    string? Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);
