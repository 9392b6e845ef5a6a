namespace Anvil.Registry.Runs;

/// <summary>
/// Run tracking. <see cref="RunStore"/> keeps runs in the registry database, SQLite or PostgreSQL,
/// so workers on other machines can record into the same database. Failures a user can fix throw
/// <see cref="RegistryException"/>.
/// </summary>
public interface IRunStore
{
    /// <summary>Records a new <see cref="RunStatus.Running"/> run and creates its artifacts directory.</summary>
    Run CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash);

    /// <summary>
    /// Records one epoch's metrics of a running run and moves its heartbeat. Logging the same
    /// (epoch, metric) again, as a resumed run does, replaces the earlier value.
    /// </summary>
    void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics);

    /// <summary>Records run-level results (e.g. <c>test_accuracy</c>); a repeated key replaces.</summary>
    void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics);

    /// <summary>Moves a running run to <paramref name="status"/>: finished, failed or interrupted.</summary>
    void Finish(string runId, RunStatus status);

    /// <summary>Marks a failed, interrupted or abandoned running run as running again.</summary>
    void Resume(string runId);

    /// <summary>A run by its id or a unique prefix of at least <see cref="RunIds.MinimumPrefixLength"/> characters.</summary>
    Run GetRun(string idOrPrefix);

    /// <summary>The most recent runs, newest first.</summary>
    IReadOnlyList<Run> ListRuns(int limit);
}
