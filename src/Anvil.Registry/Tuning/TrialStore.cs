using System.Text.Json;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Tuning;

/// <summary>
/// A study's trials and their leases. <see cref="Lease"/> takes over the oldest trial whose lease has
/// lapsed, else starts a new trial with the sampler's parameters, in one transaction that first locks the
/// study's row, so concurrent workers never get the same trial. Every other write names the worker and
/// changes nothing (returns false) once the lease has passed to another worker.
/// </summary>
/// <example>
/// <code>
/// var trials = new TrialStore(database, TimeProvider.System, TimeSpan.FromMinutes(5));
/// var lease = trials.Lease(study.Id, "host-1234", maxTrials: 20, (done, number) => sampler.Sample(done, number));
/// </code>
/// </example>
public sealed class TrialStore
{
    private readonly RegistryDatabase _db;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseDuration;

    public TrialStore(RegistryDatabase db, TimeProvider time, TimeSpan leaseDuration)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        (_db, _time, _leaseDuration) = (db, time, leaseDuration);
    }

    /// <summary>
    /// A trial for <paramref name="worker"/>: a running one whose lease has lapsed, else a new one numbered after
    /// the last with the parameters <paramref name="sample"/> chooses (it must only compute: it may run twice
    /// when a transaction is retried). Null when the study has <paramref name="maxTrials"/> trials or the sampler has nothing left.
    /// </summary>
    public TrialLeaseResult? Lease(string studyId, string worker, int maxTrials, Func<IReadOnlyList<StoredTrial>, int, IReadOnlyDictionary<string, double>?> sample)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentNullException.ThrowIfNull(sample);
        return _db.Write(session =>
        {
            // Locks the study's row on PostgreSQL until commit; SQLite's write transaction already excludes other writers.
            if (session.Execute("UPDATE studies SET name = name WHERE id = @id", ("@id", studyId)) == 0)
                throw new RegistryException($"Study {studyId} does not exist.");
            var now = _time.GetUtcNow();
            var trials = Read(session, studyId);
            var lapsed = trials.Where(t => t.Status == TrialStatus.Running && t.LeaseExpiresAt <= now).MinBy(t => t.Number);
            if (lapsed is not null)
            {
                session.Execute(
                    "UPDATE trials SET worker = @worker, lease_expires_at = @expires WHERE study_id = @study AND number = @number",
                    ("@worker", worker), ("@expires", TimeText.From(now + _leaseDuration)), ("@study", studyId), ("@number", lapsed.Number));
                return new TrialLeaseResult(lapsed with { Worker = worker, LeaseExpiresAt = now + _leaseDuration }, TakenOver: true);
            }
            if (trials.Count >= maxTrials)
                return null;
            var number = trials.Count == 0 ? 0 : trials.Max(t => t.Number) + 1;
            if (sample(trials, number) is not { } parameters)
                return null;
            session.Execute(
                "INSERT INTO trials (study_id, number, state, parameters, worker, lease_expires_at, started_at) " +
                "VALUES (@study, @number, 'running', @parameters, @worker, @expires, @now)",
                ("@study", studyId), ("@number", number), ("@parameters", JsonSerializer.Serialize(parameters)), ("@worker", worker),
                ("@expires", TimeText.From(now + _leaseDuration)), ("@now", TimeText.From(now)));
            return new TrialLeaseResult(new StoredTrial(number, TrialStatus.Running, parameters, null, null, worker, now + _leaseDuration, new Dictionary<int, double>()), TakenOver: false);
        });
    }

    /// <summary>Records the metric after <paramref name="epoch"/> and renews the lease; false when the lease is no longer <paramref name="worker"/>'s.</summary>
    public bool Report(string studyId, int number, string worker, int epoch, double value) => _db.Write(session =>
    {
        if (!Renew(session, studyId, number, worker))
            return false;
        session.Execute(
            "INSERT INTO trial_values (study_id, number, epoch, value) VALUES (@study, @number, @epoch, @value) " +
            "ON CONFLICT (study_id, number, epoch) DO UPDATE SET value = excluded.value",
            ("@study", studyId), ("@number", number), ("@epoch", epoch), ("@value", double.IsNaN(value) ? null : value));
        return true;
    });

    /// <summary>Moves the lease's expiry on; false when the lease is no longer <paramref name="worker"/>'s.</summary>
    public bool Renew(string studyId, int number, string worker) => _db.Write(session => Renew(session, studyId, number, worker));

    /// <summary>Records the trial's run; false when the lease is no longer <paramref name="worker"/>'s.</summary>
    public bool AttachRun(string studyId, int number, string worker, string runId) => Update(
        "UPDATE trials SET run_id = @run WHERE study_id = @study AND number = @number AND worker = @worker AND state = 'running'",
        studyId, number, worker, ("@run", runId));

    /// <summary>
    /// Ends the trial as complete (with its value, and a multi-objective study's <paramref name="values"/>), pruned or failed;
    /// false when the lease is no longer <paramref name="worker"/>'s.
    /// </summary>
    public bool Finish(string studyId, int number, string worker, TrialStatus status, double? value, IReadOnlyList<double>? values = null)
    {
        if (status == TrialStatus.Running)
            throw new ArgumentException("A trial finishes as complete, pruned or failed, not running.", nameof(status));
        return Update(
            "UPDATE trials SET state = @state, value = @value, objective_values = @values, finished_at = @now, lease_expires_at = NULL " +
            "WHERE study_id = @study AND number = @number AND worker = @worker AND state = 'running'",
            studyId, number, worker, ("@state", status.ToString().ToLowerInvariant()), ("@value", value),
            ("@values", values is null ? null : JsonSerializer.Serialize(values)), ("@now", TimeText.From(_time.GetUtcNow())));
    }

    /// <summary>Lets the lease lapse now (after Ctrl-C), so the next worker resumes the trial at once.</summary>
    public bool Release(string studyId, int number, string worker) => Update(
        "UPDATE trials SET lease_expires_at = @now WHERE study_id = @study AND number = @number AND worker = @worker AND state = 'running'",
        studyId, number, worker, ("@now", TimeText.From(_time.GetUtcNow())));

    /// <summary>Every trial of the study with its per-epoch values, by number.</summary>
    public IReadOnlyList<StoredTrial> Trials(string studyId) => _db.Read(session => Read(session, studyId));

    private bool Renew(Session session, string studyId, int number, string worker) => session.Execute(
        "UPDATE trials SET lease_expires_at = @expires WHERE study_id = @study AND number = @number AND worker = @worker AND state = 'running'",
        ("@expires", TimeText.From(_time.GetUtcNow() + _leaseDuration)), ("@study", studyId), ("@number", number), ("@worker", worker)) == 1;

    private bool Update(string sql, string studyId, int number, string worker, params (string, object?)[] more) => _db.Write(session =>
        session.Execute(sql, [("@study", studyId), ("@number", number), ("@worker", worker), .. more]) == 1);

    private static List<StoredTrial> Read(Session session, string studyId)
    {
        var values = session.Query(
                "SELECT number, epoch, value FROM trial_values WHERE study_id = @study",
                r => (Number: r.GetInt(0), Epoch: r.GetInt(1), Value: r.IsDBNull(2) ? double.NaN : r.GetDouble(2)),
                ("@study", studyId))
            .GroupBy(v => v.Number)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<int, double>)g.ToDictionary(v => v.Epoch, v => v.Value));
        return session.Query(
            "SELECT number, state, parameters, value, run_id, worker, lease_expires_at, objective_values FROM trials WHERE study_id = @study ORDER BY number",
            r => new StoredTrial(
                r.GetInt(0), Enum.Parse<TrialStatus>(r.GetString(1), ignoreCase: true),
                JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(2))!, r.IsDBNull(3) ? null : r.GetDouble(3),
                r.GetNullableString(4), r.GetString(5), r.GetNullableTime(6), values.GetValueOrDefault(r.GetInt(0)) ?? new Dictionary<int, double>(),
                r.GetNullableString(7) is { } objectives ? JsonSerializer.Deserialize<double[]>(objectives) : null),
            ("@study", studyId));
    }
}
