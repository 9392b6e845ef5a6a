using System.CommandLine;
using Anvil.Registry.Runs;
using Anvil.Registry.Tuning;
using Anvil.Training.Tuning;

namespace Anvil.Cli.Commands;

/// <summary>`anvil tune show STUDY`: the study's trials as a table and its plots as PNG files.</summary>
internal static class TuneShowCommand
{
    public static Command Create(Registries registries, Func<IRunStore> openStore)
    {
        var name = new Argument<string>("study") { Description = "The study's name (the \"name\" of its study file)." };
        var json = new Option<bool>("--json") { Description = "Print the summary and the trials as one JSON line." };
        var command = new Command("show", "Show a study's trials, its best trial (or Pareto front) and plots: optimisation history, intermediate values, parameter importances, Pareto front.") { name, json };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var stored = new StudyStore(registries.Database, registries.Time).Get(p.GetValue(name)!);
            var study = StudyDefinition.Parse(stored.Definition, $"study '{stored.Name}' in the registry");
            var trials = new TrialStore(registries.Database, registries.Time, TimeSpan.FromMinutes(1)).Trials(stored.Id).Select(TuneStorage.ToRecord).ToList();
            var runs = openStore();
            var summary = StudySummary.From(study, trials, runId => TuneCommand.TrainingCost(runs, runId));
            var space = study.SearchSpace();
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(new
                {
                    summary,
                    trials = trials.Select(t => new { t.Number, State = t.State.ToString().ToLowerInvariant(), t.Value, t.Values, t.RunId, Parameters = space.Describe(t.Parameters), Intermediate = t.Intermediate.OrderBy(v => v.Key).Select(v => v.Value) }),
                }));
                return ExitCodes.Success;
            }
            TuneReport.PrintTable(study, trials);
            TuneReport.PrintSummary(study, summary);
            var plots = StudyPlots.Save(study, trials, registries.Home.CreatePrivateDirectory(Path.Combine("studies", stored.Name)));
            foreach (var (parameter, share) in study.IsMultiObjective ? [] : ParameterImportance.Compute(space, trials))
                Console.WriteLine($"  {parameter,-24} explains {share:P0} of the value's variance alone (η²)");
            foreach (var plot in plots)
                Console.WriteLine($"Plot: {plot}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
