namespace Anvil.Registry.Tenancy;

/// <summary>A signed-in dashboard session: the API key it was opened with, its organization and role.</summary>
public sealed record WebSession(
    string OrganizationId,
    string OrganizationName,
    string KeyId,
    Role Role,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
