using Anvil.Training.Data;
using Anvil.Training.Runs;

namespace Anvil.Training.Tuning;

/// <summary>
/// One worker of a study: leases a trial, trains it as a run through the <see cref="RunPipeline"/> (a taken
/// over trial resumes its run from the last checkpoint), reports each epoch's metric to the study, lets the
/// pruner stop it, and records how it ended; then leases the next, until the study's budget is spent.
/// Any number of workers, in any number of processes, can work on one study through the same storage. A
/// multi-objective study's trial ends with one value per objective: validation metrics from its last epoch,
/// latency and bytes from <paramref name="measurement"/>.
/// </summary>
/// <example>
/// <code>
/// var worker = new StudyWorker(study, storage, recorder, Console.Error, TimeProvider.System, TimeSpan.FromMinutes(5));
/// int trained = worker.Run(new DataSource("fashion-mnist"), new TrainingLimits(2048, null), maxTrials: 20);
/// </code>
/// </example>
/// <param name="measurement">Measures latency_ms and bytes objectives; null refuses studies that have them.</param>
public sealed class StudyWorker(StudyDefinition study, IStudyStorage storage, IRunRecorder recorder, TextWriter progress, TimeProvider time, TimeSpan leaseDuration, IModelMeasurement? measurement = null)
{
    /// <summary>
    /// Trials in a row this worker may see refused (applying the sampled parameters to the recipe or the spec throws an
    /// <see cref="ArgumentException"/> or <see cref="InvalidDataException"/>) before it stops. One refused combination
    /// fails its trial and the study goes on, as Optuna's <c>catch</c> does; a refusal of every trial (a bad base
    /// recipe) is not repeated for the whole budget.
    /// </summary>
    public const int RefusalsInARowAllowed = 3;

    private int _refusedInARow;

    /// <summary>Why this worker's last refused trial was refused, or null when none was.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Runs trials until the study has <paramref name="maxTrials"/> or is cancelled; returns how many this worker ended.</summary>
    public int Run(DataSource source, TrainingLimits limits, int maxTrials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(limits);
        if (measurement is null && study.AllObjectives.FirstOrDefault(g => g.IsMeasured) is { } measured)
            throw new ArgumentException($"The study's objective {measured.Metric} needs the model measured in ONNX Runtime; run it with ./anvil tune.");
        var space = study.SearchSpace();
        var sampler = study.CreateSampler();
        var ended = 0;
        while (!cancellationToken.IsCancellationRequested
            && storage.Lease(maxTrials, (trials, number) => sampler.Sample(space, trials, number)) is { } lease)
        {
            if (RunTrial(lease, space, source, limits, cancellationToken))
                ended++;
        }
        return ended;
    }

    // True when this worker recorded the trial's end; false when it was interrupted or lost its lease.
    private bool RunTrial(TrialLease lease, SearchSpace space, DataSource source, TrainingLimits limits, CancellationToken cancellationToken)
    {
        var trial = lease.Trial;
        var number = trial.Number;
        progress.WriteLine($"Trial {number}{(lease.TakenOver ? " (taken over from a lapsed lease)" : "")}: {space.Describe(trial.Parameters)}");
        var pruning = new TrialPruning(trial, study.ReportedMetric, study.Pruner?.Create(study.Maximize), storage.Trials, (epoch, value) => storage.Report(number, epoch, value));
        var keeper = new LeaseKeeper(time, leaseDuration / 3, () => storage.Renew(number));
        var pipeline = new RunPipeline(new TrialRunRecorder(recorder, runId => storage.AttachRun(number, runId)), progress, interactive: false, [pruning, keeper]);
        RunSummary summary;
        try
        {
            if (lease.TakenOver && trial.RunId is { } runId && recorder.GetRun(runId).Finished)
                return EndFromCurve(trial, space.Apply(trial.Parameters).Epochs); // the run had finished; only the trial's end was not recorded
            summary = lease.TakenOver && trial.RunId is { } resumed
                ? pipeline.Resume(resumed, cancellationToken)
                : pipeline.Train(new RunRequest(source, Refusable(() => space.Apply(trial.Parameters)), $"{study.Name}-trial-{number}", limits, ModelGiven: study.NamesModel,
                    EditSpec: space.HasSpecFields ? spec => Refusable(() => space.ApplySpec(spec, trial.Parameters)) : null), cancellationToken);
        }
        catch (RefusedParameters e)
        {
            storage.Finish(number, TrialState.Failed, null);
            LastRefusal = $"trial {number} ({space.Describe(trial.Parameters)}): {e.Message}";
            progress.WriteLine($"Trial {number} failed: {e.Message}");
            if (++_refusedInARow >= RefusalsInARowAllowed)
                throw new ArgumentException($"{_refusedInARow} trials in a row were refused, so the study stops; the last, {LastRefusal}", e);
            return true;
        }
        catch
        {
            storage.Finish(number, TrialState.Failed, null);
            throw;
        }
        _refusedInARow = 0;
        if (pruning.LeaseLost || keeper.LeaseLost)
            return false;
        if (summary.Outcome == RunOutcome.Interrupted)
        {
            storage.Release(number); // the next worker resumes it at once
            return false;
        }
        var (state, value) = summary.Outcome == RunOutcome.Diverged ? (TrialState.Failed, null)
            : pruning.Pruned ? (TrialState.Pruned, null)
            : (TrialState.Complete, pruning.LastValue);
        if (state == TrialState.Complete && study.IsMultiObjective)
        {
            var values = Values(summary.RunId, pruning.LastEpoch);
            progress.WriteLine($"Trial {number} complete: {string.Join(", ", study.AllObjectives.Select((g, i) => $"{g.Metric} {values[i]:G4}"))}.");
            return storage.Finish(number, state, values[0], values);
        }
        progress.WriteLine($"Trial {number} {state.ToString().ToLowerInvariant()}{(value is { } v ? $": {study.ReportedMetric} {v:G4}" : "")}.");
        return storage.Finish(number, state, value);
    }

    // The trial's parameters applied to the recipe or the spec; what those refuse is the parameters' fault, not the study's.
    private static T Refusable<T>(Func<T> apply)
    {
        try
        {
            return apply();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new RefusedParameters(e);
        }
    }

    // A combination of parameter values the recipe or spec refuses: the trial fails, the study goes on.
    private sealed class RefusedParameters(Exception refusal) : Exception(refusal.Message, refusal);

    // One value per objective, in the study's order: validation metrics of the last epoch, then the model measured.
    private double[] Values(string runId, IReadOnlyDictionary<string, double> lastEpoch)
    {
        var measuredMetrics = study.AllObjectives.Where(g => g.IsMeasured).Select(g => g.Metric).ToList();
        var measured = measuredMetrics.Count == 0 ? new Dictionary<string, double>() : measurement!.Measure(runId, measuredMetrics);
        return study.AllObjectives.Select(g => g.IsMeasured ? measured[g.Metric]
            : lastEpoch.TryGetValue(g.Metric, out var v) ? v
            : throw new ArgumentException($"The objective {g.Metric} is not among this training's validation figures; use one of {string.Join(", ", lastEpoch.Keys.Where(k => k.StartsWith("val_", StringComparison.Ordinal)))}.")).ToArray();
    }

    // A run stopped before its last epoch was pruned; one that reported nothing had no validation figure to report.
    private bool EndFromCurve(TrialRecord trial, int epochs)
    {
        if (trial.Intermediate.Count == 0)
            return storage.Finish(trial.Number, TrialState.Failed, null);
        var last = trial.Intermediate.Keys.Max();
        if (last < epochs)
            return storage.Finish(trial.Number, TrialState.Pruned, null);
        if (!study.IsMultiObjective)
            return storage.Finish(trial.Number, TrialState.Complete, trial.Intermediate[last]);
        // Only the reported metric's curve is stored; a study with other validation objectives cannot recover them.
        if (study.AllObjectives.Any(g => !g.IsMeasured && g.Metric != study.ReportedMetric))
            return storage.Finish(trial.Number, TrialState.Failed, null);
        var values = Values(trial.RunId!, new Dictionary<string, double> { [study.ReportedMetric] = trial.Intermediate[last] });
        return storage.Finish(trial.Number, TrialState.Complete, values[0], values);
    }
}
