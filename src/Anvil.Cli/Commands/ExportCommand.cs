using System.CommandLine;
using Anvil.Cli.Bundles;
using Anvil.Registry;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Commands;

/// <summary>`anvil export NAME --org ORG [--version N | --alias A] [--int8] --out DIR [--force]`: an edge bundle of a registered version.</summary>
internal static class ExportCommand
{
    public static Command Create(Registries registries)
    {
        var name = new Argument<string>("name") { Description = "Registered model name." };
        var org = new Option<string>("--org") { Description = "Organization that owns the model.", Required = true };
        var version = new Option<int?>("--version") { Description = "Version number (default: the champion)." };
        var alias = new Option<string?>("--alias") { Description = "Alias to export (default: champion)." };
        var int8 = new Option<bool>("--int8") { Description = "Also bundle the int8 version compressed from it (./anvil compress --model NAME makes one)." };
        var output = new Option<string>("--out") { Description = "Folder to write; must be new or empty unless --force.", Required = true };
        var force = new Option<bool>("--force") { Description = "Write into a folder that is not empty, replacing the bundle's files." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("export", "Write a self-contained bundle of a registered version: model.onnx, the signed manifest, its public key and snippets for ONNX Runtime in C#, Python and JavaScript.")
        {
            name, org, version, alias, int8, output, force, json,
        };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            if (p.GetValue(version) is not null && p.GetValue(alias) is not null)
                throw new ArgumentException("Give --version or --alias, not both.");
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            var catalog = registries.Catalog;
            var entry = CompressVersion.Find(catalog, new CompressVersion.Selector(organization.Id, organization.Name, p.GetValue(name)!, p.GetValue(alias), p.GetValue(version)));
            using var verifier = ManifestSigner.OpenForVerification(registries.Home, Environment.GetEnvironmentVariable(ManifestSigner.PinnedKeyVariable));
            var verified = catalog.OpenFiles(entry, verifier);
            VerifiedModelVersion? compressed = null;
            if (p.GetValue(int8))
            {
                var derived = catalog.Versions(organization.Id, entry.ModelName)
                    .Select(v => (Entry: v, Files: catalog.OpenFiles(v, verifier)))
                    .LastOrDefault(v => v.Files.Manifest.Source?.Version == entry.Version);
                compressed = derived.Files ?? throw new ArgumentException(
                    $"Model '{entry.ModelName}' version {entry.Version} has no int8 version; make one with ./anvil compress --model {entry.ModelName} --org {organization.Name} --version {entry.Version}.");
            }

            var written = BundleWriter.Write(verified, entry, compressed, verifier.PublicKeyPem, p.GetValue(output)!, p.GetValue(force));
            Console.WriteLine(p.GetValue(json)
                ? JsonOutput.Serialize(new { model = entry.ModelName, version = entry.Version, path = Path.GetFullPath(p.GetValue(output)!), files = written.Count, int8 = compressed is not null })
                : $"Wrote {entry.ModelName} version {entry.Version}{(compressed is null ? "" : " and its int8 version")} to {Path.GetFullPath(p.GetValue(output)!)} ({written.Count} files); see its README.md.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
