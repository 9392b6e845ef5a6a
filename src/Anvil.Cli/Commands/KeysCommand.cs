using System.CommandLine;
using Anvil.Registry;
using Spectre.Console;

namespace Anvil.Cli.Commands;

/// <summary>`anvil keys create|list|revoke`: API keys, shown once and stored only as hashes; `keys rotate-kek` (<see cref="RotateKek"/>).</summary>
internal static class KeysCommand
{
    public static Command Create(Registries registries)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON.", Recursive = true };
        var org = new Option<string>("--org") { Description = "Organization the key belongs to.", Required = true };
        var plan = new Option<string>("--plan") { Description = "Plan the key is billed on (./anvil plans list).", DefaultValueFactory = _ => "free" };
        var role = new Option<Role>("--role") { Description = "viewer (models, usage), developer (also predict, feedback) or owner.", DefaultValueFactory = _ => Role.Developer };
        var expires = new Option<int?>("--expires-in-days") { Description = "Days until the key stops working (default: never)." };
        var name = new Option<string?>("--name") { Description = "A label to recognise the key by." };
        var models = new Option<string?>("--models") { Description = "Comma-separated models the key may use (default: every model of the organization)." };
        var create = new Command("create", "Create an API key. The key is printed once; only its hash is stored.") { org, plan, role, expires, name, models };
        create.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var days = p.GetValue(expires);
            if (days is <= 0 or > 3650)
                throw new ArgumentException($"--expires-in-days must be between 1 and 3650; got {days}.");
            DateTimeOffset? expiresAt = days is int d ? registries.Time.GetUtcNow().AddDays(d) : null;
            var scope = p.GetValue(models)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var created = registries.Keys.Create(p.GetValue(org)!, p.GetValue(plan)!, p.GetValue(role), expiresAt, p.GetValue(name), scope);
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(new { key = created.Secret, id = created.Key.Id, organization = created.Key.OrganizationName, plan = created.Key.PlanName, role = created.Key.Role, expires_at = created.Key.ExpiresAt, models = created.Key.Models }));
            }
            else
            {
                Console.Error.WriteLine($"API key {created.Key.Id} for '{created.Key.OrganizationName}' on plan '{created.Key.PlanName}'. It is shown once; store it now:");
                Console.WriteLine(created.Secret);
            }
            return ExitCodes.Success;
        }));

        var list = new Command("list", "List an organization's keys (ids only; secrets are never stored).") { org };
        list.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var keys = registries.Keys.List(p.GetValue(org)!);
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(keys));
            else
            {
                var table = new ConsoleTable(("id", Justify.Left), ("plan", Justify.Left), ("role", Justify.Left), ("state", Justify.Left), ("models", Justify.Left), ("name", Justify.Left));
                foreach (var key in keys)
                    table.Add(key.Id, key.PlanName, RoleNames.ToText(key.Role), key.RevokedAt is not null ? "revoked" : key.ExpiresAt is { } e ? $"expires {e:u}" : "active", key.Models is null ? "all models" : string.Join(",", key.Models), key.Name ?? "");
                table.Write(Console.Out);
            }
            return ExitCodes.Success;
        }));

        var keyArgument = new Argument<string>("key") { Description = "The key, or its id." };
        var revoke = new Command("revoke", "Revoke a key: every request with it gets 401 from now on.") { keyArgument };
        revoke.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var key = registries.Keys.Revoke(p.GetValue(keyArgument)!);
            Console.WriteLine($"Revoked key {key.Id} of '{key.OrganizationName}'.");
            return ExitCodes.Success;
        }));

        var keys = new Command("keys", "API keys, and the key-encryption key that protects data at rest.") { create, list, revoke, RotateKek.Create(registries, json) };
        keys.Options.Add(json);
        return keys;
    }
}
