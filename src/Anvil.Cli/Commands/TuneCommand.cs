using System.CommandLine;
using System.Globalization;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Registry.Tuning;
using Anvil.Training.Runs;
using Anvil.Training.Tuning;

namespace Anvil.Cli.Commands;

/// <summary>`anvil tune`: runs a study's trials (Optuna's study, trial, sampler, pruner) as runs recorded in the registry.</summary>
internal static class TuneCommand
{
    public static Command Create(Registries registries, Func<IRunStore> openStore)
    {
        var data = new DataOptions();
        var studyFile = new Option<string?>("--study") { Description = "The study file (JSON): metric, direction, base recipe, search space, sampler, pruner. See samples/tune/fmnist.json." };
        var trials = new Option<int?>("--trials") { Description = "Trials the study should have in all; workers stop when it has that many (trials of earlier sessions count)." };
        var workers = new Option<int>("--workers") { Description = "Worker processes on this machine, each leasing its own trials.", DefaultValueFactory = _ => 1 };
        var leaseSeconds = new Option<int>("--lease-seconds") { Description = "A trial whose worker has not reported for this long is taken over by another worker.", DefaultValueFactory = _ => 300 };
        var register = new Option<string?>("--register") { Description = "Register the best trial's model under this name (needs --org); a multi-objective study needs --register-trial." };
        var registerTrial = new Option<int?>("--register-trial") { Description = "With --register: register this trial's model instead of the best (a multi-objective study: pick one of its Pareto front)." };
        var org = new Option<string?>("--org") { Description = $"Organization the trials' runs (and the model registered with --register) belong to (default: '{RunOrganization.DefaultName}')." };
        var json = new Option<bool>("--json") { Description = "End with one JSON line: best_value, best_trial, best_run_id (a multi-objective study: pareto_front), trials_complete, trials_pruned, train_seconds_total." };
        var command = new Command("tune", "Tune a recipe: run a study's trials (grid, random or TPE sampler; median or successive-halving pruner) on a validation metric.");
        data.AddTo(command);
        foreach (var option in new Option[] { studyFile, trials, workers, leaseSeconds, register, registerTrial, org, json })
            command.Options.Add(option);
        command.Subcommands.Add(TuneShowCommand.Create(registries, openStore));
        command.SetAction(p => CommandRunner.Run(p, cancellationToken =>
        {
            var path = p.GetValue(studyFile) ?? throw new ArgumentException("--study is missing: name a study file, e.g. --study samples/tune/fmnist.json.");
            var budget = p.GetValue(trials) ?? throw new ArgumentException("--trials is missing: say how many trials the study should have, e.g. --trials 20.");
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget, "--trials");
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p.GetValue(workers), "--workers");
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p.GetValue(leaseSeconds), "--lease-seconds");
            if (p.GetValue(register) is not null && p.GetValue(org) is null)
                throw new ArgumentException("--register needs --org: name the organization that owns the model.");
            if (p.GetValue(registerTrial) is not null && p.GetValue(register) is null)
                throw new ArgumentException("--register-trial needs --register NAME --org ORG: name the model to register the trial's model as.");
            var study = StudyDefinition.Load(path);
            if (study.IsMultiObjective && p.GetValue(register) is not null && p.GetValue(registerTrial) is null)
                throw new ArgumentException($"Study '{study.Name}' has {study.AllObjectives.Count} objectives and no single best trial; pick one from its Pareto front with --register-trial N (./anvil tune show {study.Name} lists it).");
            var organization = RunOrganization.Resolve(registries, p.GetValue(org)); // checked before hours of training
            var lease = TimeSpan.FromSeconds(p.GetValue(leaseSeconds));
            var studyId = new StudyStore(registries.Database, registries.Time).Open(study.Name, study.ToJson()).Id;
            var storage = new TuneStorage(new TrialStore(registries.Database, registries.Time, lease), studyId, $"{Environment.MachineName}-{Environment.ProcessId}");
            var limit = p.GetValue(data.Limit) ?? study.Limit;
            var source = data.Read(p, study.SearchSpace().Apply(new Dictionary<string, double>()));
            using var others = p.GetValue(workers) > 1 ? new TuneWorkers(p.GetValue(workers) - 1, WorkerArguments(p, data, path, budget, limit)) : null;
            using var recorder = new RegistryRunRecorder(openStore(), organizationId: organization.Id);
            var worker = new StudyWorker(study, storage, recorder, Console.Error, registries.Time, lease, new TuneMeasurement(recorder));
            try
            {
                worker.Run(source, new TrainingLimits(limit, null), budget, cancellationToken);
            }
            catch
            {
                others?.Stop();
                throw;
            }
            var workerExit = others?.WaitForAll() ?? 0;
            var runs = openStore();
            var summary = StudySummary.From(study, storage.Trials(), runId => TrainingCost(runs, runId));
            TuneReport.PrintSummary(study, summary);
            if (summary.TrialsComplete == 0 && summary.TrialsPruned == 0 && worker.LastRefusal is { } refusal)
                throw new ArgumentException($"No trial of study '{study.Name}' completed; the last refused was {refusal}");
            if (p.GetValue(register) is not null)
            {
                var (number, runId) = RegisteredTrial(study, storage.Trials(), summary, p.GetValue(registerTrial));
                var version = new ModelRegistration(registries.Home, runs, registries.Catalog).Register(runId, organization.Id, p.GetValue(register)!, alias: null);
                Console.WriteLine($"Registered {version.ModelName} version {version.Version} for '{organization.Name}' from trial {number} (run {runId}).");
            }
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(summary));
            return cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : workerExit;
        }));
        return command;
    }

    // The trial --register-trial names (it must have completed), else the best one.
    private static (int Number, string RunId) RegisteredTrial(StudyDefinition study, IReadOnlyList<TrialRecord> trials, StudySummary summary, int? chosen)
    {
        if (chosen is not { } number)
            return (summary.BestTrial ?? 0, summary.BestRunId ?? throw new ArgumentException($"No trial of study '{study.Name}' completed, so there is no model to register; run more trials."));
        var trial = trials.FirstOrDefault(t => t.Number == number)
            ?? throw new ArgumentException($"--register-trial {number}: study '{study.Name}' has no trial {number}; it has trials 0 to {trials.Count - 1}.");
        return trial.State == TrialState.Complete && trial.RunId is { } runId
            ? (number, runId)
            : throw new ArgumentException($"--register-trial {number}: trial {number} is {trial.State.ToString().ToLowerInvariant()}, not complete; pick a complete trial (./anvil tune show {study.Name}).");
    }

    /// <summary>Seconds a run spent training and the epochs it trained: every epoch it recorded, across resumes.</summary>
    public static (double Seconds, int Epochs) TrainingCost(IRunStore runs, string runId)
    {
        var epochs = runs.GetRun(runId).Epochs;
        return (epochs.Sum(e => e.Metrics.GetValueOrDefault("seconds")), epochs.Count);
    }

    // The same study, budget, data and lease for each extra worker; it prints no summary of its own.
    private static List<string> WorkerArguments(ParseResult p, DataOptions data, string path, int budget, int? limit)
    {
        var arguments = new List<string> { "tune", "--study", path, "--trials", budget.ToString(CultureInfo.InvariantCulture),
            "--lease-seconds", p.GetValue<int>("--lease-seconds").ToString(CultureInfo.InvariantCulture) };
        foreach (var option in new[] { data.Data, data.DataDir, data.Test, data.LabelColumn })
        {
            if (p.GetValue(option) is { } value)
                arguments.AddRange([option.Name, value]);
        }
        if (limit is { } samples)
            arguments.AddRange(["--limit", samples.ToString(CultureInfo.InvariantCulture)]);
        if (p.GetValue<string?>("--org") is { } org)
            arguments.AddRange(["--org", org]); // the workers' trials belong to the same organization
        return arguments;
    }
}
