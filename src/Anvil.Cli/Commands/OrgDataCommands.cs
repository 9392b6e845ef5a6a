using System.CommandLine;
using Anvil.Registry;
using Anvil.Registry.Privacy;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Commands;

/// <summary>`anvil orgs export ORG --out DIR` and `anvil orgs erase ORG --yes`: an organization's data handed back, or erased (decision 0020).</summary>
internal static class OrgDataCommands
{
    public static Command Export(Registries registries, Option<bool> json)
    {
        var name = new Argument<string>("org") { Description = "Organization to export." };
        var output = new Option<string>("--out") { Description = "New or empty directory to write the export to (created owner-only, 0700).", Required = true };
        var export = new Command("export", "Write everything of an organization as readable JSON plus its model versions' files, with export.json listing every file's SHA-256.") { name, output };
        export.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var summary = new OrganizationExport(registries.Database, registries.Home, registries.Time).Write(
                p.GetValue(name)!, p.GetValue(output)!,
                () => ManifestSigner.OpenForVerification(registries.Home, Environment.GetEnvironmentVariable(ManifestSigner.PinnedKeyVariable)));
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new { organization = p.GetValue(name), directory = summary.Directory, files = summary.Files.Count, counts = summary.Counts }));
            else
                Console.WriteLine($"Exported '{p.GetValue(name)}' to {summary.Directory}: {Describe(summary.Counts)}; {summary.Files.Count} files, each listed with its SHA-256 in {ExportFileName}.");
            return ExitCodes.Success;
        }));
        return export;
    }

    public static Command Erase(Registries registries, Option<bool> json)
    {
        var name = new Argument<string>("org") { Description = "Organization to erase." };
        var yes = new Option<bool>("--yes") { Description = "Erase for real; without it, only say what would be deleted and kept." };
        var erase = new Command("erase", "Erase an organization: its data deleted, its keys revoked, its billing records kept (without inputs or answers).") { name, yes };
        erase.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var erasure = new OrganizationErasure(registries.Database, registries.Home, registries.Time);
            var organization = p.GetValue(name)!;
            if (!p.GetValue(yes))
            {
                var preview = erasure.Preview(organization);
                Console.Error.WriteLine(preview.AlreadyErased
                    ? $"error: organization '{organization}' was already erased; nothing would change."
                    : $"error: erasing '{organization}' would delete {Describe(preview.Deleted)} and keep {Describe(preview.Kept)}; nothing was changed. Run again with --yes to erase.");
                return ExitCodes.UserError;
            }

            var report = erasure.Erase(organization);
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new { organization, already_erased = report.AlreadyErased, deleted = report.Deleted, kept = report.Kept, folders_deleted = report.FoldersDeleted, shared_folders_kept = report.SharedFoldersKept }));
            else if (report.AlreadyErased)
                Console.WriteLine($"Organization '{organization}' was already erased; nothing changed.");
            else
                Console.WriteLine(
                    $"Erased '{organization}': deleted {Describe(report.Deleted)}, and {report.FoldersDeleted} folders on disk " +
                    $"({report.SharedFoldersKept} version folders kept: other organizations use them). Kept for billing: {Describe(report.Kept)}.");
            return ExitCodes.Success;
        }));
        return erase;
    }

    private const string ExportFileName = "export.json";

    private static string Describe(IReadOnlyDictionary<string, long> counts) =>
        string.Join(", ", counts.Select(c => $"{c.Value:N0} {c.Key.Replace('_', ' ')}"));
}
