namespace Anvil.Registry.Tenancy;

/// <summary>
/// A signed-in dashboard session: the API key it was opened with, its organization, role and model scope
/// (<see cref="Models"/>; null means every model of the organization, as for <see cref="ApiKey.Models"/>).
/// </summary>
public sealed record WebSession(
    string OrganizationId,
    string OrganizationName,
    string KeyId,
    Role Role,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<string>? Models = null)
{
    /// <summary>Whether the session's key may see <paramref name="modelName"/>.</summary>
    public bool MayUse(string modelName) => Models is null || Models.Contains(modelName, StringComparer.Ordinal);
}
