using Anvil.Registry.Storage;

namespace Anvil.Registry.Runs;

/// <summary>
/// Run tracking in <c>&lt;home&gt;/registry.db</c>. Every call opens its own pooled connection, so any
/// number of stores, in this process or others, can share one file and see each other's writes.
/// </summary>
public sealed class SqliteRunStore : IRunStore
{
    private readonly AnvilHome _home;
    private readonly TimeProvider _time;
    private readonly SqliteDatabase _database;
    private readonly SqliteRunReader _reader;

    public SqliteRunStore(AnvilHome home, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(home);
        _home = home;
        _time = timeProvider ?? TimeProvider.System;
        _database = new SqliteDatabase(home.DatabasePath, _time);
        _reader = new SqliteRunReader(home);
    }

    public Run CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetHash);
        RunArguments.ValidateParameters(parameters);
        var startedAt = _time.GetUtcNow();
        var id = RunIds.New(startedAt);
        using (var connection = _database.Open())
        using (var transaction = connection.BeginTransaction())
        {
            connection.Execute(
                "INSERT INTO runs (id, name, status, dataset_hash, started_at, heartbeat_at) " +
                "VALUES ($id, $name, 'running', $hash, $now, $now)",
                ("$id", id), ("$name", name), ("$hash", datasetHash), ("$now", SqliteValues.ToText(startedAt)));
            foreach (var (key, value) in parameters)
            {
                connection.Execute(
                    "INSERT INTO run_parameters (run_id, key, value) VALUES ($id, $key, $value)",
                    ("$id", id), ("$key", key), ("$value", value));
            }

            transaction.Commit();
        }

        Directory.CreateDirectory(_home.RunArtifactsDirectory(id));
        return GetRun(id);
    }

    public void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        RunArguments.ValidateMetrics(metrics);
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        var changed = connection.Execute(
            "UPDATE runs SET heartbeat_at = $now WHERE id = $id AND status = 'running'",
            ("$id", runId), ("$now", Now()));
        _reader.ThrowIfUnchanged(connection, changed, runId, $"log epoch {epoch} to");
        foreach (var (key, value) in metrics)
        {
            connection.Execute(
                "INSERT INTO epoch_metrics (run_id, epoch, key, value) VALUES ($id, $epoch, $key, $value) " +
                "ON CONFLICT (run_id, epoch, key) DO UPDATE SET value = excluded.value",
                ("$id", runId), ("$epoch", epoch), ("$key", key), ("$value", SqliteValues.ToColumn(value)));
        }

        transaction.Commit();
    }

    public void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        RunArguments.ValidateMetrics(metrics);
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        var changed = connection.Execute("UPDATE runs SET heartbeat_at = $now WHERE id = $id", ("$id", runId), ("$now", Now()));
        _reader.ThrowIfUnchanged(connection, changed, runId, "log metrics to");
        foreach (var (key, value) in metrics)
        {
            connection.Execute(
                "INSERT INTO run_metrics (run_id, key, value) VALUES ($id, $key, $value) " +
                "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                ("$id", runId), ("$key", key), ("$value", SqliteValues.ToColumn(value)));
        }

        transaction.Commit();
    }

    public void Finish(string runId, RunStatus status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        RunArguments.ValidateFinalStatus(status);
        using var connection = _database.Open();
        var changed = connection.Execute(
            "UPDATE runs SET status = $status, finished_at = $now, heartbeat_at = $now " +
            "WHERE id = $id AND status = 'running'",
            ("$id", runId), ("$status", RunStatusNames.ToText(status)), ("$now", Now()));
        _reader.ThrowIfUnchanged(connection, changed, runId, "finish");
    }

    public void Resume(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        using var connection = _database.Open();
        var changed = connection.Execute(
            "UPDATE runs SET status = 'running', finished_at = NULL, heartbeat_at = $now " +
            "WHERE id = $id AND status <> 'finished'",
            ("$id", runId), ("$now", Now()));
        _reader.ThrowIfUnchanged(connection, changed, runId, "resume");
    }

    public Run GetRun(string idOrPrefix)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction(deferred: true); // one consistent snapshot
        return _reader.Get(connection, idOrPrefix);
    }

    public IReadOnlyList<Run> ListRuns(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        return _reader.List(connection, limit);
    }

    private string Now() => SqliteValues.ToText(_time.GetUtcNow());
}
