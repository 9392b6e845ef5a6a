using System.CommandLine;
using Anvil.Registry;
using Anvil.Cli.Pipeline;

namespace Anvil.Cli.Commands;

/// <summary>`anvil models rollback NAME --org ORG` and `anvil models shadow NAME --org ORG [--last N]`.</summary>
internal static class ChampionCommands
{
    public static Command Rollback(Registries registries, Option<string> org)
    {
        var name = new Argument<string>("name") { Description = "Registered model name." };
        var command = new Command("rollback", "Move 'champion' back to the version it replaced ('previous'); a running server follows within a second.") { name };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            var (champion, previous) = new ChampionMoves(registries.Database, registries.Time).Rollback(organization.Id, p.GetValue(name)!);
            Console.WriteLine($"{p.GetValue(name)}@champion → version {champion} (previous → version {previous}).");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Shadow(Registries registries, Option<string> org, Option<bool> json)
    {
        var name = new Argument<string>("name") { Description = "Registered model name." };
        var last = new Option<int>("--last") { Description = "How many of the most recent logged inputs to replay.", DefaultValueFactory = _ => 1_000 };
        var command = new Command("shadow", "Replay the last logged inputs through 'champion' and 'challenger': their agreement, and their accuracy where feedback exists.") { name, last };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            var model = p.GetValue(name)!;
            if (p.GetValue(last) < 1)
                throw new ArgumentException($"--last must be at least 1; got {p.GetValue(last)}.");
            using var signer = Anvil.Registry.Versions.ManifestSigner.OpenOrCreate(registries.Home);
            using var champion = new VersionScorer(Open(registries, signer, organization, model, ChampionMoves.Champion));
            using var challenger = new VersionScorer(Open(registries, signer, organization, model, ChampionMoves.Challenger));
            var report = ShadowEvaluation.Replay(new LoggedInputs(registries.Database, registries.Time).Recent(organization.Id, model, p.GetValue(last)), champion, challenger);
            Console.WriteLine(p.GetValue(json) ? JsonOutput.Serialize(report) : ShadowEvaluation.Describe(report));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Anvil.Registry.Versions.VerifiedModelVersion Open(Registries registries, Anvil.Registry.Versions.ManifestSigner signer, Organization organization, string model, string alias)
    {
        var version = registries.Catalog.Resolve(organization.Id, model, alias)
            ?? throw new RegistryException($"Model '{model}' of '{organization.Name}' has no '{alias}'; ./anvil retrain --model {model} --org {organization.Name} registers a challenger.");
        return registries.Catalog.OpenFiles(version, signer);
    }
}
