using System.CommandLine;
using Anvil.Cli.Commands;
using Anvil.Registry;
using Anvil.Registry.Runs;

// All state lives under $ANVIL_HOME (default ./.anvil): registry.db and runs/<id>/artifacts.
Func<IRunStore> openStore = () => new SqliteRunStore(AnvilHome.Resolve());
using var registries = new Registries();

var root = new RootCommand("Anvil: train, track, register and serve models as a metered API on your own machine.")
{
    TrainCommand.Create(openStore),
    EvaluateCommand.Create(openStore),
    CvCommand.Create(openStore),
    RunsCommand.Create(openStore),
    ModelsCommand.CreateRegister(registries, openStore),
    ModelsCommand.Create(registries),
    ServeCommand.Create(registries),
    OrgsCommand.Create(registries),
    KeysCommand.Create(registries),
    PlansCommand.Create(registries),
    UsageCommand.Create(registries),
};
root.Options.Add(CommandRunner.Verbose);
return root.Parse(args).Invoke();
