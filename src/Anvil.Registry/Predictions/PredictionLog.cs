using Anvil.Registry.Storage;

namespace Anvil.Registry.Predictions;

/// <summary>
/// The policy of logged predictions per model, and pruning past retention. Pruning deletes logged
/// predictions and the feedback on them; billing rows (usage events, daily usage) stay, so invoices
/// never change.
/// </summary>
public sealed class PredictionLog(RegistryDatabase db, TimeProvider time)
{
    /// <summary>The model's policy; null when the organization has no such model.</summary>
    public LogPolicy? Policy(string organizationId, string modelName)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(modelName);
        return db.Read(session => session.QuerySingle(
            "SELECT log_sample_rate, log_retention_days FROM registered_models WHERE organization_id = @org AND name = @name",
            reader => new LogPolicy(reader.GetDouble(0), reader.GetInt(1)), ("@org", organizationId), ("@name", modelName)));
    }

    /// <summary>Sets the model's policy; a missing model is a <see cref="RegistryException"/>.</summary>
    public void SetPolicy(string organizationId, string modelName, LogPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var changed = db.Write(session => session.Execute(
            "UPDATE registered_models SET log_sample_rate = @rate, log_retention_days = @days WHERE organization_id = @org AND name = @name",
            ("@rate", policy.SampleRate), ("@days", (long)policy.RetentionDays), ("@org", organizationId), ("@name", modelName)));
        if (changed == 0)
            throw new RegistryException($"No model '{modelName}' in this organization. List models with: ./anvil models list --org <organization>");
    }

    /// <summary>
    /// Every logged prediction of the organization (every model, inside retention or not yet pruned) with the feedback
    /// on it, model by model, oldest first. Read <paramref name="pageSize"/> rows at a time, each page in its own read,
    /// so an export of millions of predictions never holds them all in memory. A page is a keyset range of the
    /// (organization, model, created_at) index, so each costs the same however deep it is.
    /// </summary>
    public IEnumerable<LoggedInput> All(string organizationId, int pageSize = 500)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var models = db.Read(session => session.Query(
            "SELECT DISTINCT model_name FROM predictions WHERE organization_id = @org ORDER BY model_name", r => r.GetString(0), ("@org", organizationId)));
        foreach (var model in models)
        {
            foreach (var logged in All(organizationId, model, pageSize))
                yield return logged;
        }
    }

    private IEnumerable<LoggedInput> All(string organizationId, string model, int pageSize)
    {
        // created_at >= @at on its own, so the index bounds the range; the OR only drops the rows of that instant already read.
        const string Page = LoggedInputs.Columns +
            "LEFT JOIN feedback f ON f.prediction_id = p.id AND f.organization_id = p.organization_id " +
            "WHERE p.organization_id = @org AND p.model_name = @model AND p.created_at >= @at AND (p.created_at > @at OR p.id > @id) " +
            "ORDER BY p.created_at, p.id LIMIT @limit";
        var (at, id) = ("", "");
        while (true)
        {
            var page = db.Read(session => session.Query(
                Page, reader => LoggedInputs.ReadRow(reader, organizationId),
                ("@org", organizationId), ("@model", model), ("@at", at), ("@id", id), ("@limit", (long)pageSize))
                .Select(row => LoggedInputs.Open(session, organizationId, row)).ToList());
            foreach (var row in page)
                yield return row;
            if (page.Count < pageSize)
                yield break;
            (at, id) = (TimeText.From(page[^1].CreatedAt), page[^1].Prediction.Id);
        }
    }

    /// <summary>
    /// Deletes logged predictions older than their model's retention (and the feedback on them), for one
    /// organization or all. Returns how many predictions were deleted.
    /// </summary>
    public long Prune(string? organizationId = null)
    {
        var now = time.GetUtcNow();
        return db.Write(session =>
        {
            var models = session.Query(
                "SELECT organization_id, name, log_retention_days FROM registered_models" + (organizationId is null ? "" : " WHERE organization_id = @org"),
                reader => (Organization: reader.GetString(0), Name: reader.GetString(1), Days: reader.GetInt(2)),
                organizationId is null ? [] : [("@org", organizationId)]);
            long deleted = 0;
            foreach (var (organization, name, days) in models)
            {
                var cutoff = TimeText.From(now.AddDays(-days));
                const string Expired = "SELECT id FROM predictions WHERE organization_id = @org AND model_name = @model AND created_at < @cutoff";
                session.Execute($"DELETE FROM feedback WHERE prediction_id IN ({Expired})", ("@org", organization), ("@model", name), ("@cutoff", cutoff));
                deleted += session.Execute(
                    "DELETE FROM predictions WHERE organization_id = @org AND model_name = @model AND created_at < @cutoff",
                    ("@org", organization), ("@model", name), ("@cutoff", cutoff));
            }

            return deleted;
        });
    }
}
