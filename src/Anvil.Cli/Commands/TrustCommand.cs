using System.CommandLine;
using System.Globalization;
using Anvil.Cli.Pipeline;
using Anvil.Registry;
using Anvil.Registry.Runs;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Commands;

/// <summary>`anvil models trust NAME --org ORG [--version N] [--refresh] [--json]`: a version's signed trust report, verified.</summary>
internal static class TrustCommand
{
    public static Command Create(Registries registries, Option<string> org, Option<bool> json)
    {
        var name = new Argument<string>("name") { Description = "Registered model name." };
        var version = new Option<int?>("--version") { Description = "Version number (default: the latest)." };
        var refresh = new Option<bool>("--refresh") { Description = "Gather the report again from the registry (after a later robustness test, cv or audit) and sign it; needs the signing key." };
        var command = new Command("trust", "Verify and show a version's signed trust report (trust.json): metrics, ROC/AUC, cross-validation, robust accuracy, privacy, data audit, dataset and code hashes.")
        {
            name, version, refresh,
        };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            var model = p.GetValue(name)!;
            var versions = registries.Catalog.Versions(organization.Id, model);
            if (versions.Count == 0)
                throw new RegistryException($"Organization '{organization.Name}' has no model '{model}'. ./anvil models list --org {organization.Name} lists them.");
            var chosen = p.GetValue(version) is { } number
                ? versions.FirstOrDefault(v => v.Version == number) ?? throw new ArgumentException($"Model '{model}' has no version {number}; it has versions {string.Join(", ", versions.Select(v => v.Version))}.")
                : versions.MaxBy(v => v.Version)!;
            if (p.GetValue(refresh))
                new ModelRegistration(registries.Home, new RunStore(registries.Database, registries.Home), registries.Catalog).WriteTrust(chosen);
            using var verifier = ManifestSigner.OpenForVerification(registries.Home, Environment.GetEnvironmentVariable(ManifestSigner.PinnedKeyVariable));
            var report = TrustFiles.Read(chosen.Directory, chosen.ManifestDigest, verifier)
                ?? throw new RegistryException($"Version {chosen.Version} of '{model}' has no trust report (it was registered before Anvil wrote them); write one with ./anvil models trust {model} --org {organization.Name} --version {chosen.Version} --refresh.");
            if (p.GetValue(json))
            {
                Console.WriteLine(System.Text.Encoding.UTF8.GetString(report.ToUtf8Bytes()));
                return ExitCodes.Success;
            }

            Console.WriteLine($"{model} v{chosen.Version}: trust report verified (signed {report.CreatedAt:u}; summary {Path.Combine(chosen.Directory, TrustFiles.PageFile)})");
            Console.WriteLine($"  manifest sha256 {report.ManifestDigest}; run {report.RunId ?? "none"}");
            Console.WriteLine($"  dataset {report.DatasetHash ?? "not recorded"}; code {report.CodeVersion} (version + git commit of the build)");
            foreach (var (section, part) in report.Sections)
            {
                Console.WriteLine(part.IsMeasured
                    ? $"  {section,-17} {string.Join(", ", part.Values.Where(v => !v.Key.Contains('/', StringComparison.Ordinal)).Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key} {v.Value:G4}")))}  ({part.Source})"
                    : $"  {section,-17} not measured: {part.Note}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
