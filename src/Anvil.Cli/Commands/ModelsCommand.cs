using System.CommandLine;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Predictions;
using Anvil.Registry.Runs;
using Spectre.Console;

namespace Anvil.Cli.Commands;

/// <summary>`anvil register RUN --name --org` and `anvil models list|show|alias`.</summary>
internal static class ModelsCommand
{
    public static Command CreateRegister(Registries registries, Func<IRunStore> openStore)
    {
        var run = new Argument<string>("run") { Description = "Run id or unique prefix of a finished run." };
        var name = new Option<string>("--name") { Description = "Registered model name.", Required = true };
        var org = new Option<string>("--org") { Description = "Organization that owns the model.", Required = true };
        var alias = new Option<string?>("--alias") { Description = "Point this alias at the new version (the first version becomes 'champion' anyway)." };
        var json = new Option<bool>("--json") { Description = "Print the new version as JSON." };
        var command = new Command("register", "Export a finished run to ONNX and register it as a new signed, immutable model version.") { run, name, org, alias, json };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            var store = openStore();
            RunOrganization.EnsureMayRegister(registries, store.GetRun(p.GetValue(run)!), organization);
            var version = new ModelRegistration(registries.Home, store, registries.Catalog)
                .Register(p.GetValue(run)!, organization.Id, p.GetValue(name)!, p.GetValue(alias));
            Console.WriteLine(p.GetValue(json) ? JsonOutput.Serialize(version)
                : $"Registered {version.ModelName} version {version.Version} for '{organization.Name}' from run {version.RunId}: {version.Directory}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Create(Registries registries)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON.", Recursive = true };
        var org = new Option<string>("--org") { Description = "Organization.", Required = true, Recursive = true };
        var list = new Command("list", "List registered models with their latest version and aliases.");
        list.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var models = registries.Catalog.List(registries.Organizations.Get(p.GetValue(org)!).Id);
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(models));
            else
            {
                var table = new ConsoleTable(("name", Justify.Left), ("latest", Justify.Left), ("aliases", Justify.Left));
                foreach (var model in models)
                    table.Add(model.Name, $"v{model.LatestVersion}", string.Join(" ", model.Aliases.Select(a => $"{a.Key}=v{a.Value}")));
                table.Write(Console.Out);
            }
            return ExitCodes.Success;
        }));

        var name = new Argument<string>("name") { Description = "Registered model name." };
        var show = new Command("show", "Show a model's versions and aliases.") { name };
        show.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            var model = registries.Catalog.Find(organization.Id, p.GetValue(name)!)
                ?? throw new Anvil.Registry.RegistryException($"Organization '{organization.Name}' has no model '{p.GetValue(name)}'. ./anvil models list --org {organization.Name} lists them.");
            var versions = registries.Catalog.Versions(organization.Id, model.Name);
            if (p.GetValue(json))
            {
                var manifests = versions.Select(v => (Key: v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), Manifest: VersionLineage.Manifest(v))).ToList();
                var sources = manifests.Where(v => v.Manifest.Source is not null).ToDictionary(v => v.Key, v => v.Manifest.Source!);
                var retraining = manifests.Where(v => v.Manifest.Retraining is not null).ToDictionary(v => v.Key, v => v.Manifest.Retraining!);
                Console.WriteLine(JsonOutput.Serialize(new { model, versions, sources, retraining }));
                return ExitCodes.Success;
            }
            Console.WriteLine($"{model.Name}: {versions.Count} versions; aliases {string.Join(", ", model.Aliases.Select(a => $"{a.Key} → v{a.Value}"))}");
            foreach (var version in versions)
            {
                var manifest = VersionLineage.Manifest(version);
                var gate = manifest.Retraining is null || version.RunId is null ? "" : VersionLineage.DescribeGate(new RunStore(registries.Database, registries.Home).GetRun(version.RunId).Metrics);
                Console.WriteLine($"  v{version.Version,-4} {version.CreatedAt:u}  run {version.RunId}  sha256 {version.ManifestDigest[..16]}…{VersionLineage.Describe(manifest.Source)}{VersionLineage.Describe(manifest.Retraining)}{gate}");
            }
            return ExitCodes.Success;
        }));

        var aliasName = new Argument<string>("alias") { Description = "Alias, e.g. champion or challenger." };
        var version = new Argument<int>("version") { Description = "Version number the alias moves to." };
        var alias = new Command("alias", "Point an alias at a version; a running server follows within a second, without a restart.") { name, aliasName, version };
        alias.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            registries.Catalog.SetAlias(organization.Id, p.GetValue(name)!, p.GetValue(aliasName)!, p.GetValue(version));
            Console.WriteLine($"{p.GetValue(name)}@{p.GetValue(aliasName)} → version {p.GetValue(version)}");
            return ExitCodes.Success;
        }));

        var sampleRate = new Option<double?>("--sample-rate") { Description = "Share of predictions whose input is logged, 0 (none) to 1 (all); the rest are billed and answered, without their input." };
        var retentionDays = new Option<int?>("--retention-days") { Description = "Days logged predictions are kept before './anvil predictions prune' deletes them." };
        var logPolicy = new Command("log-policy", "Show or set how much of a model's inputs is logged and for how long.") { name, sampleRate, retentionDays };
        logPolicy.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            var log = registries.PredictionLog;
            var current = log.Policy(organization.Id, p.GetValue(name)!)
                ?? throw new Anvil.Registry.RegistryException($"Organization '{organization.Name}' has no model '{p.GetValue(name)}'. ./anvil models list --org {organization.Name} lists them.");
            var policy = new LogPolicy(p.GetValue(sampleRate) ?? current.SampleRate, p.GetValue(retentionDays) ?? current.RetentionDays);
            if (policy != current)
                log.SetPolicy(organization.Id, p.GetValue(name)!, policy);
            Console.WriteLine(p.GetValue(json) ? JsonOutput.Serialize(policy)
                : FormattableString.Invariant($"{p.GetValue(name)}: logs {policy.SampleRate * 100:0.##}% of inputs, kept {policy.RetentionDays} days"));
            return ExitCodes.Success;
        }));

        var models = new Command("models", "Registered models, versions and aliases.")
        {
            list, show, alias, logPolicy, TrustCommand.Create(registries, org, json), ChampionCommands.Rollback(registries, org), ChampionCommands.Shadow(registries, org, json),
        };
        models.Options.Add(json);
        models.Options.Add(org);
        return models;
    }
}
