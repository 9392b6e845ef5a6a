using System.Text.RegularExpressions;

namespace Anvil.Registry.Models;

/// <summary>The shapes of model names and aliases.</summary>
internal static partial class ModelNames
{
    public static void RequireModel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ModelPattern().IsMatch(name))
        {
            throw new RegistryException(
                $"Model name '{name}' is not allowed: use 1 to 64 characters of a-z, 0-9, '.', '_' and '-', " +
                "starting with a letter or digit, e.g. 'fashion-cnn'.");
        }
    }

    public static void RequireAlias(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (!AliasPattern().IsMatch(alias))
        {
            throw new RegistryException(
                $"Alias '{alias}' is not allowed: use 1 to 32 characters of a-z, 0-9 and '-', starting with a letter, " +
                "e.g. 'champion' or 'challenger'.");
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex ModelPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,31}\z")]
    private static partial Regex AliasPattern();
}
