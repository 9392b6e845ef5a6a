namespace Anvil.Registry.Runs;

/// <summary>
/// Run tracking. <see cref="RunStore"/> keeps runs in the registry database, SQLite or PostgreSQL,
/// so workers on other machines can record into the same database. Failures a user can fix throw
/// <see cref="RegistryException"/>.
/// </summary>
public interface IRunStore
{
    /// <summary>Records a new <see cref="RunStatus.Running"/> run and creates its artifacts directory.</summary>
    Run CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash, IReadOnlyDictionary<string, string>? tags = null, string? organizationId = null);

    /// <summary>
    /// Records one epoch's metrics of a running run and moves its heartbeat. Logging the same
    /// (epoch, metric) again, as a resumed run does, replaces the earlier value.
    /// </summary>
    void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics);

    /// <summary>Records run-level results (e.g. <c>test_accuracy</c>); a repeated key replaces.</summary>
    void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics);

    /// <summary>Records the run's test evaluation document (confusion matrix and ROC curves, JSON); a repeated one replaces.</summary>
    void LogEvaluation(string runId, string document);

    /// <summary>The run's test evaluation document, or null when none was recorded.</summary>
    string? FindEvaluation(string runId);

    /// <summary>Moves a running run to <paramref name="status"/>: finished, failed or interrupted.</summary>
    void Finish(string runId, RunStatus status);

    /// <summary>Marks a failed, interrupted or abandoned running run as running again.</summary>
    void Resume(string runId);

    /// <summary>Moves a running run's heartbeat: the process is alive, even in the middle of a long epoch.</summary>
    void Heartbeat(string runId);

    /// <summary>Adds or changes <paramref name="tags"/> and removes the tags named in <paramref name="remove"/>.</summary>
    Run SetTags(string run, IReadOnlyDictionary<string, string> tags, IReadOnlyCollection<string> remove);

    /// <summary>
    /// Deletes a run that is not running (a crashed one may go): its record and its artifacts folder.
    /// Registered model versions keep their own copy; a tuning trial's run stays with its study.
    /// </summary>
    Run DeleteRun(string run);

    /// <summary>
    /// A run by its id, a unique prefix of at least <see cref="RunIds.MinimumPrefixLength"/> characters
    /// of it, or its name when no other run has that name.
    /// </summary>
    Run GetRun(string reference);

    /// <summary>The most recent runs, newest first; only those with <paramref name="tag"/>, or of <paramref name="organizationId"/>, when given.</summary>
    IReadOnlyList<Run> ListRuns(int limit, KeyValuePair<string, string>? tag = null, string? organizationId = null);

    /// <summary>
    /// The most recent runs that match <paramref name="filter"/>, newest first, without their per-epoch metrics
    /// (<see cref="Run.Epochs"/> is empty): what a listing shows, at a fraction of the rows.
    /// </summary>
    IReadOnlyList<Run> ListRunSummaries(RunFilter filter, int limit);

    /// <summary>
    /// The runs of <paramref name="organizationId"/> among <paramref name="ids"/> (full ids), newest first; an id of
    /// another organization's run, or of none, is left out, so a caller cannot tell the two apart.
    /// </summary>
    IReadOnlyList<Run> FindRuns(IReadOnlyList<string> ids, string organizationId);
}
