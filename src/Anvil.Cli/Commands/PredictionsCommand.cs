using System.CommandLine;

namespace Anvil.Cli.Commands;

/// <summary>`anvil predictions prune [--org]`: deletes logged predictions past their model's retention.</summary>
internal static class PredictionsCommand
{
    public static Command Create(Registries registries)
    {
        var org = new Option<string?>("--org") { Description = "Only this organization's models (default: every organization)." };
        var prune = new Command("prune", "Delete logged predictions (inputs, outputs and their feedback) older than their model's retention; billing rows stay.") { org };
        prune.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = p.GetValue(org) is { } name ? registries.Organizations.Get(name) : null;
            var deleted = registries.PredictionLog.Prune(organization?.Id);
            Console.WriteLine($"Pruned {deleted:N0} logged predictions past retention{(organization is null ? "" : $" of '{organization.Name}'")}; usage and invoices are unchanged.");
            return ExitCodes.Success;
        }));
        return new Command("predictions", "The log of predictions' inputs and outputs.") { prune };
    }
}
