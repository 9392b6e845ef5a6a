using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Runs;

/// <summary>
/// Run tracking in the registry database: SQLite (<c>&lt;home&gt;/registry.db</c>) or PostgreSQL, the
/// same SQL on both. Every call opens its own pooled connection, so any number of stores, in this
/// process or others, can share one database and see each other's writes.
/// </summary>
public sealed class RunStore : IRunStore
{
    /// <summary>How often a live training process moves its run's heartbeat, between epochs too.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    /// <summary>A running run silent for longer than this is shown as crashed: six missed heartbeats.</summary>
    public static readonly TimeSpan HeartbeatTimeout = 6 * HeartbeatInterval;

    private readonly RegistryDatabase _db;
    private readonly AnvilHome _home;
    private readonly TimeProvider _time;
    private readonly RunReader _reader;

    public RunStore(RegistryDatabase db, AnvilHome home, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(home);
        _db = db;
        _home = home;
        _time = timeProvider ?? TimeProvider.System;
        _reader = new RunReader(home);
    }

    public Run CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash, IReadOnlyDictionary<string, string>? tags = null, string? organizationId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetHash);
        RunArguments.ValidateParameters(parameters);
        RunArguments.ValidateTags(tags ?? new Dictionary<string, string>());
        var startedAt = _time.GetUtcNow();
        var id = RunIds.New(startedAt);
        _db.Write(session =>
        {
            if (organizationId is not null && Organizations.FindById(session, organizationId) is { } owner)
                Organizations.RequireActive(owner);
            session.Execute(
                "INSERT INTO runs (id, name, status, dataset_hash, started_at, heartbeat_at, organization_id) " +
                "VALUES (@id, @name, 'running', @hash, @now, @now, @org)",
                ("@id", id), ("@name", name), ("@hash", datasetHash), ("@now", TimeText.From(startedAt)), ("@org", (object?)organizationId ?? DBNull.Value));
            foreach (var (key, value) in parameters)
            {
                session.Execute(
                    "INSERT INTO run_parameters (run_id, key, value) VALUES (@id, @key, @value)",
                    ("@id", id), ("@key", key), ("@value", value));
            }

            WriteTags(session, id, tags ?? new Dictionary<string, string>());
            return 0;
        });

        PrivateFiles.CreateDirectory(_home.RunArtifactsDirectory(id));
        return GetRun(id);
    }

    public void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        RunArguments.ValidateMetrics(metrics);
        _db.Write(session =>
        {
            var changed = session.Execute(
                "UPDATE runs SET heartbeat_at = @now WHERE id = @id AND status = 'running'",
                ("@id", runId), ("@now", Now()));
            RunReader.ThrowIfUnchanged(session, changed, runId, $"log epoch {epoch} to");
            foreach (var (key, value) in metrics)
            {
                session.Execute(
                    "INSERT INTO epoch_metrics (run_id, epoch, key, value) VALUES (@id, @epoch, @key, @value) " +
                    "ON CONFLICT (run_id, epoch, key) DO UPDATE SET value = excluded.value",
                    ("@id", runId), ("@epoch", epoch), ("@key", key), ("@value", MetricValue(value)));
            }

            return 0;
        });
    }

    public void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        RunArguments.ValidateMetrics(metrics);
        _db.Write(session =>
        {
            var changed = session.Execute("UPDATE runs SET heartbeat_at = @now WHERE id = @id", ("@id", runId), ("@now", Now()));
            RunReader.ThrowIfUnchanged(session, changed, runId, "log metrics to");
            foreach (var (key, value) in metrics)
            {
                session.Execute(
                    "INSERT INTO run_metrics (run_id, key, value) VALUES (@id, @key, @value) " +
                    "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                    ("@id", runId), ("@key", key), ("@value", MetricValue(value)));
            }

            return 0;
        });
    }

    public void LogEvaluation(string runId, string document)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(document);
        _db.Write(session =>
        {
            var changed = session.Execute("UPDATE runs SET heartbeat_at = @now WHERE id = @id", ("@id", runId), ("@now", Now()));
            RunReader.ThrowIfUnchanged(session, changed, runId, "log an evaluation to");
            return session.Execute(
                "INSERT INTO run_evaluations (run_id, document) VALUES (@id, @document) " +
                "ON CONFLICT (run_id) DO UPDATE SET document = excluded.document",
                ("@id", runId), ("@document", document));
        });
    }

    public string? FindEvaluation(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return _db.Read(session => session.Scalar("SELECT document FROM run_evaluations WHERE run_id = @id", ("@id", runId)) as string);
    }

    public void Finish(string runId, RunStatus status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        RunArguments.ValidateFinalStatus(status);
        _db.Write(session =>
        {
            var changed = session.Execute(
                "UPDATE runs SET status = @status, finished_at = @now, heartbeat_at = @now " +
                "WHERE id = @id AND status = 'running'",
                ("@id", runId), ("@status", RunStatusNames.ToText(status)), ("@now", Now()));
            RunReader.ThrowIfUnchanged(session, changed, runId, "finish");
            return 0;
        });
    }

    public void Resume(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        _db.Write(session =>
        {
            var changed = session.Execute(
                "UPDATE runs SET status = 'running', finished_at = NULL, heartbeat_at = @now " +
                "WHERE id = @id AND status <> 'finished'",
                ("@id", runId), ("@now", Now()));
            RunReader.ThrowIfUnchanged(session, changed, runId, "resume");
            return 0;
        });
    }

    public void Heartbeat(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        _db.Write(session => session.Execute(
            "UPDATE runs SET heartbeat_at = @now WHERE id = @id AND status = 'running'", ("@id", runId), ("@now", Now())));
    }

    public Run SetTags(string run, IReadOnlyDictionary<string, string> tags, IReadOnlyCollection<string> remove)
    {
        RunArguments.ValidateTags(tags);
        ArgumentNullException.ThrowIfNull(remove);
        var id = _db.Write(session =>
        {
            var id = RunReader.ResolveId(session, run);
            WriteTags(session, id, tags);
            foreach (var key in remove)
                session.Execute("DELETE FROM run_tags WHERE run_id = @id AND key = @key", ("@id", id), ("@key", key));
            return id;
        });
        return GetRun(id);
    }

    public Run DeleteRun(string run)
    {
        var deleted = _db.Write(session =>
        {
            var found = _reader.Get(session, run);
            if (found.Status == RunStatus.Running && !found.IsAbandoned(_time.GetUtcNow(), HeartbeatTimeout))
            {
                throw new RegistryException(
                    $"Run {found.Id} ({found.Name}) is still running. Stop it first (Ctrl-C in its terminal), " +
                    $"or wait {HeartbeatTimeout.TotalMinutes:0} minutes after its process died.");
            }

            var trials = session.Query(
                "SELECT s.name, t.number FROM trials t JOIN studies s ON s.id = t.study_id WHERE t.run_id = @id",
                reader => $"{reader.GetString(0)} trial {DbReading.ToLong(reader.GetValue(1))}", ("@id", found.Id));
            if (trials.Count > 0)
            {
                throw new RegistryException(
                    $"Run {found.Id} is {string.Join(", ", trials)} of a tuning study; it stays as long as the study does.");
            }

            session.Execute("DELETE FROM runs WHERE id = @id", ("@id", found.Id)); // parameters, tags and metrics cascade
            return found;
        });
        var runDirectory = Path.GetDirectoryName(_home.RunArtifactsDirectory(deleted.Id))!; // <home>/runs/<id>
        if (Directory.Exists(runDirectory))
            Directory.Delete(runDirectory, recursive: true);
        return deleted;
    }

    public Run GetRun(string reference) => _db.Read(session => _reader.Get(session, reference));

    public IReadOnlyList<Run> ListRuns(int limit, KeyValuePair<string, string>? tag = null, string? organizationId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return _db.Read(session => _reader.List(session, limit, new RunFilter(organizationId, tag)));
    }

    public IReadOnlyList<Run> ListRunSummaries(RunFilter filter, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentNullException.ThrowIfNull(filter);
        return _db.Read(session => _reader.List(session, limit, filter, epochs: false));
    }

    public IReadOnlyList<Run> FindRuns(IReadOnlyList<string> ids, string organizationId)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(organizationId);
        return _db.Read(session => _reader.Find(session, ids, organizationId));
    }

    private static void WriteTags(Session session, string runId, IReadOnlyDictionary<string, string> tags)
    {
        foreach (var (key, value) in tags)
        {
            session.Execute(
                "INSERT INTO run_tags (run_id, key, value) VALUES (@id, @key, @value) " +
                "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                ("@id", runId), ("@key", key), ("@value", value));
        }
    }

    /// <summary>NaN (a diverged loss) is stored as NULL: SQLite turns a NaN REAL into NULL anyway.</summary>
    private static object MetricValue(double value) => double.IsNaN(value) ? DBNull.Value : value;

    private string Now() => TimeText.From(_time.GetUtcNow());
}
