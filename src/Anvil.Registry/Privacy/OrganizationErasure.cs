using Anvil.Registry.Runs;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Privacy;

/// <summary>
/// Erases an organization (<c>./anvil orgs erase</c>): in one transaction its predictions, feedback, stored answers,
/// members, sessions, models, runs and tuning trials are deleted and its keys revoked and scrubbed; the billing records
/// (usage events without their inputs or answers, daily usage, hence invoices) and the organization's row, marked
/// erased, stay. Then its runs' folders and the version folders no other organization uses are deleted. Decision 0020.
/// </summary>
public sealed class OrganizationErasure(RegistryDatabase db, AnvilHome home, TimeProvider time)
{
    private const string OwnRuns = "SELECT id FROM runs WHERE organization_id = @org";
    private const string OwnModels = "SELECT id FROM registered_models WHERE organization_id = @org";
    private const string Billed = "EXISTS (SELECT 1 FROM usage_events e WHERE e.model_id = registered_models.id)";
    private const string OwnTrials = "trials t JOIN runs r ON r.id = t.run_id WHERE r.organization_id = @org";

    // A study goes when every trial it holds is this organization's; one shared with another organization keeps theirs.
    private const string OwnStudies =
        "studies s WHERE EXISTS (SELECT 1 FROM " + OwnTrials + " AND t.study_id = s.id) AND NOT EXISTS (SELECT 1 FROM trials t " +
        "WHERE t.study_id = s.id AND (t.run_id IS NULL OR t.run_id NOT IN (" + OwnRuns + ")))";

    private static readonly (string Name, string Sql)[] Deletes =
    [
        ("predictions", "SELECT COUNT(*) FROM predictions WHERE organization_id = @org"),
        ("feedback", "SELECT COUNT(*) FROM feedback WHERE organization_id = @org"),
        ("stored_answers", "SELECT COUNT(*) FROM usage_events WHERE organization_id = @org AND response_json <> '{}'"),
        ("api_keys_revoked", "SELECT COUNT(*) FROM api_keys WHERE organization_id = @org"),
        ("members", "SELECT COUNT(*) FROM members WHERE organization_id = @org"),
        ("web_sessions", "SELECT COUNT(*) FROM web_sessions WHERE organization_id = @org"),
        ("models", $"SELECT COUNT(*) FROM registered_models WHERE organization_id = @org AND NOT {Billed}"),
        ("versions", $"SELECT COUNT(*) FROM model_versions WHERE model_id IN ({OwnModels})"),
        ("aliases", $"SELECT COUNT(*) FROM model_aliases WHERE model_id IN ({OwnModels})"),
        ("runs", "SELECT COUNT(*) FROM runs WHERE organization_id = @org"),
        ("trials", $"SELECT COUNT(*) FROM {OwnTrials}"),
        ("studies", $"SELECT COUNT(*) FROM {OwnStudies}"),
    ];

    private static readonly IReadOnlyDictionary<string, long> Empty = new Dictionary<string, long>();

    private static readonly (string Name, string Sql)[] Keeps =
    [
        ("usage_events", "SELECT COUNT(*) FROM usage_events WHERE organization_id = @org"),
        ("usage_days", "SELECT COUNT(*) FROM usage_daily WHERE organization_id = @org"),
        ("billed_model_names", $"SELECT COUNT(*) FROM registered_models WHERE organization_id = @org AND {Billed}"),
    ];

    /// <summary>What <see cref="Erase"/> would delete and keep, changing nothing.</summary>
    public ErasureReport Preview(string organizationName) => db.Read(session =>
    {
        var organization = Organizations.Find(session, organizationName) ?? throw Organizations.Missing(organizationName);
        return organization.ErasedAt is not null ? new ErasureReport(organization.Name, true, Empty, Empty) : Count(session, organization);
    });

    /// <summary>Erases the organization (see the class summary); a second call changes nothing and says so.</summary>
    public ErasureReport Erase(string organizationName)
    {
        var now = time.GetUtcNow();
        var (report, runs, folders, shared, organizationId) = db.Write(session =>
        {
            var organization = Organizations.Find(session, organizationName) ?? throw Organizations.Missing(organizationName);
            if (organization.ErasedAt is not null)
                return (new ErasureReport(organization.Name, true, Empty, Empty), new List<string>(), new List<string>(), 0, organization.Id);
            RefuseLiveRuns(session, organization, now);
            var counted = Count(session, organization);
            var runIds = session.Query(OwnRuns, r => r.GetString(0), ("@org", organization.Id));
            var directories = session.Query(
                $"SELECT DISTINCT directory FROM model_versions WHERE model_id IN ({OwnModels})", r => r.GetString(0), ("@org", organization.Id));
            Delete(session, organization.Id, TimeText.From(now));
            // Crypto-shredding: the data key goes in this same transaction, so any copy of the organization's ciphertext
            // (a backup, a free database page, a stray version file) can never be decrypted again.
            Encryption.DataKeys.DestroyIn(session, organization.Id);
            var stillUsed = session.Query("SELECT DISTINCT directory FROM model_versions", r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);
            return (counted, runIds, directories.Where(d => !stillUsed.Contains(d)).ToList(), directories.Count(stillUsed.Contains), organization.Id);
        });

        if (report.AlreadyErased)
            return report;
        db.Dialect.DropOldPages(); // the destroyed key's wrapped bytes out of SQLite's log too
        var deleted = 0;
        foreach (var runId in runs)
            deleted += DeleteFolder(Path.GetDirectoryName(home.RunArtifactsDirectory(runId))!) ? 1 : 0; // <home>/runs/<id>
        foreach (var folder in folders.Where(IsSealedVersionFolder))
            deleted += DeleteFolder(folder) ? 1 : 0;
        var own = Path.Combine(home.Directory, "models", organizationId); // models/<organization id>: its encrypted copies
        if (Directory.Exists(own) && !Versions.FileKinds.IsLink(new DirectoryInfo(own)) && !Directory.EnumerateFileSystemEntries(own).Any())
            Directory.Delete(own);
        return report with { FoldersDeleted = deleted, SharedFoldersKept = shared };
    }

    private static ErasureReport Count(Session session, Organization organization)
    {
        SortedDictionary<string, long> Run((string Name, string Sql)[] queries) => new(
            queries.ToDictionary(q => q.Name, q => DbReading.ToLong(session.Scalar(q.Sql, ("@org", organization.Id)))), StringComparer.Ordinal);
        return new ErasureReport(organization.Name, false, Run(Deletes), Run(Keeps));
    }

    private static void RefuseLiveRuns(Session session, Organization organization, DateTimeOffset now)
    {
        var live = session.Query(
            "SELECT id FROM runs WHERE organization_id = @org AND status = 'running' AND heartbeat_at > @stale",
            r => r.GetString(0), ("@org", organization.Id), ("@stale", TimeText.From(now - RunStore.HeartbeatTimeout)));
        if (live.Count > 0)
            throw new RegistryException(
                $"Organization '{organization.Name}' has {live.Count} run(s) still running ({string.Join(", ", live.Select(id => id[..12]))}); " +
                "stop them first (Ctrl-C in their terminal), then erase again. Nothing was changed.");
    }

    /// <summary>The deletes in foreign-key order: what refers to a row goes before it.</summary>
    private static void Delete(Session session, string organizationId, string now)
    {
        var org = ("@org", (object?)organizationId);
        var studies = session.Query($"SELECT s.id FROM {OwnStudies}", r => r.GetString(0), org);
        string[] statements =
        [
            "DELETE FROM feedback WHERE organization_id = @org",
            "DELETE FROM predictions WHERE organization_id = @org",
            // The billing record stays without what was asked or answered: the replayable answer, the body's hash, the client's Idempotency-Key.
            "UPDATE usage_events SET response_json = '{}', request_hash = 'erased', replay_request_id = NULL WHERE organization_id = @org",
            "DELETE FROM web_sessions WHERE organization_id = @org OR key_id IN (SELECT id FROM api_keys WHERE organization_id = @org)",
            "DELETE FROM usage_counters WHERE key_id IN (SELECT id FROM api_keys WHERE organization_id = @org)",
            // Usage events name their key, so the row stays: revoked, with no hash any presented key could match, and no name.
            "UPDATE api_keys SET key_hash = '', name = NULL, revoked_at = COALESCE(revoked_at, @now) WHERE organization_id = @org",
            "DELETE FROM members WHERE organization_id = @org",
            $"DELETE FROM model_aliases WHERE model_id IN ({OwnModels})",
            $"DELETE FROM model_versions WHERE model_id IN ({OwnModels})",
            // A model that usage events name stays as that reference (id and name, which the events repeat anyway).
            $"DELETE FROM registered_models WHERE organization_id = @org AND NOT {Billed}",
            $"DELETE FROM trial_values WHERE EXISTS (SELECT 1 FROM {OwnTrials} AND t.study_id = trial_values.study_id AND t.number = trial_values.number)",
            $"DELETE FROM trials WHERE run_id IN ({OwnRuns})",
            "DELETE FROM runs WHERE organization_id = @org", // parameters, metrics, epochs, tags and evaluations cascade
            "UPDATE organizations SET erased_at = @now WHERE id = @org",
        ];
        foreach (var sql in statements)
        {
            if (sql.Contains("@now", StringComparison.Ordinal))
                session.Execute(sql, org, ("@now", now));
            else
                session.Execute(sql, org);
        }
        foreach (var study in studies)
            session.Execute("DELETE FROM studies WHERE id = @id", ("@id", study));
    }

    /// <summary>Only a folder the registry sealed (<c>&lt;home&gt;/models/sha256-…</c>, not a link) is deleted; a version registered elsewhere is left alone.</summary>
    private bool IsSealedVersionFolder(string folder)
    {
        var info = new DirectoryInfo(folder);
        // models/sha256-… (versions registered before encryption at rest, shared) or models/<organization id>/sha256-….
        var models = Path.Combine(home.Directory, "models");
        return info.Exists && !Versions.FileKinds.IsLink(info) && info.Name.StartsWith("sha256-", StringComparison.Ordinal)
            && (string.Equals(info.Parent?.FullName, models, StringComparison.Ordinal)
                || string.Equals(info.Parent?.Parent?.FullName, models, StringComparison.Ordinal));
    }

    private static bool DeleteFolder(string folder)
    {
        if (!Directory.Exists(folder))
            return false;
        Directory.Delete(folder, recursive: true);
        return true;
    }
}
