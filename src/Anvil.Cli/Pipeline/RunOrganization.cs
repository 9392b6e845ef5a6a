using Anvil.Cli.Commands;
using Anvil.Registry;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// The organization a new run belongs to: the one named by <c>--org</c>, else <c>default</c>, made on first use, so a
/// single user never has to create one before training.
/// </summary>
internal static class RunOrganization
{
    public const string DefaultName = "default";

    public static Organization Resolve(Registries registries, string? name)
    {
        if (name is not null)
            return registries.Organizations.Get(name);
        if (registries.Organizations.Find(DefaultName) is not null)
            return registries.Organizations.Get(DefaultName); // refused when it was erased
        try
        {
            return registries.Organizations.Create(DefaultName);
        }
        catch (RegistryException) when (registries.Organizations.Find(DefaultName) is not null)
        {
            return registries.Organizations.Get(DefaultName); // another process made it first
        }
    }

    /// <summary>
    /// A run may be registered by its own organization; a run of <c>default</c> (the operator's own workspace) or
    /// one recorded before runs had organizations, by any.
    /// </summary>
    public static void EnsureMayRegister(Registries registries, Registry.Runs.Run run, Organization organization)
    {
        if (run.OrganizationId is not { } owner || owner == organization.Id || registries.Organizations.Find(DefaultName)?.Id == owner)
            return;
        throw new RegistryException($"Run {run.Id[..12]} belongs to another organization, so '{organization.Name}' may not register it; train it again with --org {organization.Name}.");
    }
}
