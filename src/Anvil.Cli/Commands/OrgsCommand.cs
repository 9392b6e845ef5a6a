using System.CommandLine;
using Anvil.Registry;
using Spectre.Console;

namespace Anvil.Cli.Commands;

/// <summary>`anvil orgs create|list|export|erase` and `anvil orgs members add|remove|list --org ORG`: tenants and who belongs to them.</summary>
internal static class OrgsCommand
{
    public static Command Create(Registries registries)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON.", Recursive = true };
        var name = new Argument<string>("name") { Description = "Organization name: lowercase letters, digits and dashes." };
        var create = new Command("create", "Create an organization (a tenant: its own models, keys, usage and invoices).") { name };
        create.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var org = registries.Organizations.Create(p.GetValue(name)!);
            Console.WriteLine(p.GetValue(json) ? JsonOutput.Serialize(org) : $"Created organization '{org.Name}' ({org.Id}). Next: ./anvil keys create --org {org.Name} --plan free");
            return ExitCodes.Success;
        }));

        var list = new Command("list", "List organizations.");
        list.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var orgs = registries.Organizations.List();
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(orgs));
            else
            {
                var table = new ConsoleTable(("name", Justify.Left), ("id", Justify.Left), ("created", Justify.Left), ("erased", Justify.Left));
                foreach (var org in orgs)
                    table.Add(org.Name, org.Id, $"{org.CreatedAt:u}", org.ErasedAt is { } erased ? $"{erased:u}" : "");
                table.Write(Console.Out);
            }
            return ExitCodes.Success;
        }));

        var org = new Option<string>("--org") { Description = "Organization.", Required = true, Recursive = true };
        var email = new Argument<string>("email") { Description = "Member e-mail address." };
        var role = new Option<string>("--role") { Description = "What the member may do.", DefaultValueFactory = _ => RoleNames.ToText(Role.Developer) };
        role.AcceptOnlyFromAmong(RoleNames.ToText(Role.Owner), RoleNames.ToText(Role.Developer), RoleNames.ToText(Role.Viewer));
        var add = new Command("add", "Add a member (or change their role).") { email, role };
        add.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var member = registries.Organizations.AddMember(p.GetValue(org)!, p.GetValue(email)!, RoleNames.Parse(p.GetValue(role)!));
            Console.WriteLine($"{member.Email} is {RoleNames.ToText(member.Role)} of {p.GetValue(org)}.");
            return ExitCodes.Success;
        }));
        var remove = new Command("remove", "Remove a member.") { email };
        remove.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var removed = registries.Organizations.RemoveMember(p.GetValue(org)!, p.GetValue(email)!);
            Console.WriteLine(removed ? $"Removed {p.GetValue(email)}." : $"{p.GetValue(email)} was not a member.");
            return removed ? ExitCodes.Success : ExitCodes.UserError;
        }));
        var members = new Command("list", "List members and their roles.");
        members.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var all = registries.Organizations.Members(p.GetValue(org)!);
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(all));
            else
            {
                var table = new ConsoleTable(("email", Justify.Left), ("role", Justify.Left));
                foreach (var member in all)
                    table.Add(member.Email, RoleNames.ToText(member.Role));
                table.Write(Console.Out);
            }
            return ExitCodes.Success;
        }));

        var orgs = new Command("orgs", "Organizations (tenants) and their members.")
        {
            create, list, new Command("members", "Members and roles.") { org, add, remove, members },
            OrgDataCommands.Export(registries, json), OrgDataCommands.Erase(registries, json),
        };
        orgs.Options.Add(json);
        return orgs;
    }
}
