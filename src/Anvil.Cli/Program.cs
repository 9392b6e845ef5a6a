using System.CommandLine;
using Anvil.Cli.Commands;
using Anvil.Registry;
using Anvil.Registry.Runs;

// All state lives under $ANVIL_HOME (default ./.anvil): registry.db and runs/<id>/artifacts.
Func<IRunStore> openStore = () => new SqliteRunStore(AnvilHome.Resolve());

var root = new RootCommand("Anvil: train, evaluate and track models on your own machine.")
{
    TrainCommand.Create(openStore),
    EvaluateCommand.Create(openStore),
    CvCommand.Create(openStore),
    RunsCommand.Create(openStore),
};
root.Options.Add(CommandRunner.Verbose);
return root.Parse(args).Invoke();
