using Anvil.Export.Pretrained;
using System.CommandLine;
using Anvil.Cli.Pipeline;
using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>`anvil train`: trains a recipe, evaluates it on the test set and records the run.</summary>
internal static class TrainCommand
{
    public static Command Create(Registries registries, Func<Registry.Runs.IRunStore> openStore)
    {
        var data = new DataOptions();
        var recipe = new RecipeOptions();
        var name = new Option<string?>("--name") { Description = "Run name (default: MODEL-DATA, e.g. mlp-iris)." };
        var org = new Option<string?>("--org") { Description = $"Organization the run belongs to (default: '{RunOrganization.DefaultName}', made on first use)." };
        var tags = new Option<string[]>("--tag") { Description = "A tag KEY=VALUE on the run (repeatable), e.g. --tag team=vision; ./anvil runs list --tag filters by it." };
        var resume = new Option<string?>("--resume") { Description = "Resume an interrupted or crashed run (id or unique prefix) from its last checkpoint." };
        var patience = new Option<int?>("--patience") { Description = "Stop early after this many epochs without improvement (val_loss, or loss without validation)." };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of results on stdout." };
        var command = new Command("train", "Train a model (default: the default recipe on Fashion-MNIST), evaluate it and write plots.");
        data.AddTo(command);
        recipe.AddTo(command);
        foreach (var option in new Option[] { name, org, tags, resume, patience, json })
            command.Options.Add(option);
        command.SetAction(p => CommandRunner.Run(p, cancellationToken =>
        {
            var organization = p.GetValue(resume) is null ? RunOrganization.Resolve(registries, p.GetValue(org)).Id : null;
            using var recorder = new RegistryRunRecorder(openStore(), TagArguments.Parse(p.GetValue(tags)), organization);
            var pipeline = new RunPipeline(recorder, Console.Error, interactive: !Console.IsErrorRedirected, pretrained: new OnnxPretrainedSource());
            RunSummary summary;
            if (p.GetValue(resume) is { } runId)
                summary = pipeline.Resume(runId, cancellationToken);
            else
            {
                var chosen = recipe.Read(p);
                summary = pipeline.Train(new RunRequest(data.Read(p, chosen), chosen, p.GetValue(name), new TrainingLimits(p.GetValue(data.Limit), p.GetValue(patience)), recipe.ModelGiven(p)), cancellationToken);
            }
            RunReport.Print(summary, p.GetValue(json));
            return summary.Outcome switch
            {
                RunOutcome.Interrupted => ExitCodes.Interrupted,
                RunOutcome.Diverged => ExitCodes.Diverged,
                _ => ExitCodes.Success,
            };
        }));
        return command;
    }
}
