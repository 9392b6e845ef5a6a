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
    TrainCommand.Create(registries, openStore),
    EvaluateCommand.Create(openStore),
    CompressCommand.Create(registries, openStore),
    CvCommand.Create(registries, openStore),
    AuditCommand.Create(registries, openStore),
    RobustnessCommand.Create(openStore),
    TuneCommand.Create(registries, openStore),
    RunsCommand.Create(openStore, registries),
    ModelsCommand.CreateRegister(registries, openStore),
    ModelsCommand.Create(registries),
    ServeCommand.Create(registries),
    ExportCommand.Create(registries),
    PredictCommand.Create(registries, openStore),
    OrgsCommand.Create(registries),
    KeysCommand.Create(registries),
    PlansCommand.Create(registries),
    UsageCommand.Create(registries),
    PredictionsCommand.Create(registries),
    FeedbackCommand.Create(registries),
    RetrainCommand.Create(registries, openStore),
};
root.Options.Add(CommandRunner.Verbose);
var parsed = root.Parse(args);
return parsed.Errors.Count > 0 ? ParseErrors.Report(parsed) : parsed.Invoke();
