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
