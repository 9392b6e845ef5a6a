using System.CommandLine;
using Anvil.Cli;
using Anvil.Cli.Commands;
using Anvil.Registry;
using Anvil.Registry.Runs;

// All state lives under $ANVIL_HOME (default ./.anvil): registry.db (or PostgreSQL when ANVIL_DATABASE_URL is set) and runs/<id>/artifacts.
FileCreationMask.RestrictToOwner();
using var registries = new Registries();
Func<IRunStore> openStore = () => new RunStore(registries.Database, registries.Home);

var root = new RootCommand("Anvil: train, track, register and serve models as a metered API on your own machine.")
{
    TrainCommand.Create(openStore),
    EvaluateCommand.Create(openStore),
    CompressCommand.Create(registries, openStore),
    CvCommand.Create(openStore),
    TuneCommand.Create(registries, openStore),
    RunsCommand.Create(openStore),
    ModelsCommand.CreateRegister(registries, openStore),
    ModelsCommand.Create(registries),
    ServeCommand.Create(registries),
    OrgsCommand.Create(registries),
    KeysCommand.Create(registries),
    PlansCommand.Create(registries),
    UsageCommand.Create(registries),
    PredictionsCommand.Create(registries),
    FeedbackCommand.Create(registries),
    RetrainCommand.Create(registries, openStore),
};
root.Options.Add(CommandRunner.Verbose);
return root.Parse(args).Invoke();
