using System.Text.RegularExpressions;

namespace Anvil.Registry.Tenancy;

/// <summary>The shapes of user-chosen names, checked before they reach the database.</summary>
internal static partial class Names
{
    public const string OrganizationRule = "2 to 40 characters of a-z, 0-9 and '-', starting with a letter or digit";

    public static bool IsOrganizationName(string? name) => name is not null && OrganizationPattern().IsMatch(name);

    public static void RequireOrganization(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsOrganizationName(name))
        {
            throw new RegistryException($"Organization name '{name}' is not allowed: use {OrganizationRule}, e.g. 'acme-labs'.");
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{1,39}\z")]
    private static partial Regex OrganizationPattern();
}
