namespace Anvil.Registry.Tenancy;

/// <summary>The lower-case names <see cref="Role"/> values are stored as.</summary>
public static class RoleNames
{
    public static string ToText(Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Developer => "developer",
        Role.Owner => "owner",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Expected Viewer, Developer or Owner."),
    };

    public static Role Parse(string text) => text switch
    {
        "viewer" => Role.Viewer,
        "developer" => Role.Developer,
        "owner" => Role.Owner,
        _ => throw new RegistryException(
            $"The registry holds role '{text}', which this Anvil does not know (expected viewer, developer or owner). Upgrade Anvil."),
    };
}
