using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Predictions;

/// <summary>How a <see cref="PredictionRecord"/> is written to and read from the predictions table.</summary>
internal static class PredictionRows
{
    public const string Columns = "p.id, p.model_name, p.model_version, p.input, p.input_shape, p.label, p.label_name, p.probabilities";

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    // The sample rate of each (organization, model) seen in a session: one lookup per model per ledger
    // group, not one per prediction. Keyed by the session, so a changed policy applies from the next group.
    private static readonly ConditionalWeakTable<Session, Dictionary<(string, string), LogPolicy>> Policies = new();

    /// <summary>
    /// Logs <paramref name="prediction"/>; its input only when its model's <see cref="LogPolicy"/> samples
    /// it (otherwise an empty input: the row still takes feedback, and billing is untouched).
    /// </summary>
    public static void Insert(Session session, PredictionRecord prediction, string organizationId, string requestId, string createdAt)
    {
        var policies = Policies.GetOrCreateValue(session);
        if (!policies.TryGetValue((organizationId, prediction.ModelName), out var policy))
        {
            policy = session.QuerySingle(
                "SELECT log_sample_rate, log_retention_days FROM registered_models WHERE organization_id = @org AND name = @name",
                reader => new LogPolicy(reader.GetDouble(0), reader.GetInt(1)), ("@org", organizationId), ("@name", prediction.ModelName))
                ?? LogPolicy.Default;
            policies[(organizationId, prediction.ModelName)] = policy;
        }

        var input = policy.ShouldLog(prediction.Id) ? prediction.Input : [];
        session.Execute(
            "INSERT INTO predictions (id, organization_id, request_id, model_name, model_version, input, input_shape, " +
            "label, label_name, probabilities, created_at) " +
            "VALUES (@id, @org, @request, @model, @version, @input, @shape, @label, @labelName, @probabilities, @now)",
            ("@id", prediction.Id), ("@org", organizationId), ("@request", requestId), ("@model", prediction.ModelName),
            ("@version", (long)prediction.ModelVersion), ("@input", input), ("@shape", prediction.InputShape),
            ("@label", (long)prediction.Label), ("@labelName", prediction.LabelName),
            ("@probabilities", JsonSerializer.Serialize(prediction.Probabilities, Json)), ("@now", createdAt));
    }

    /// <summary>Reads <see cref="Columns"/> starting at <paramref name="first"/>.</summary>
    public static PredictionRecord Read(DbDataReader reader, int first = 0) => new(
        reader.GetString(first), reader.GetString(first + 1), reader.GetInt(first + 2), (byte[])reader.GetValue(first + 3),
        reader.GetString(first + 4), reader.GetInt(first + 5), reader.GetString(first + 6),
        JsonSerializer.Deserialize<float[]>(reader.GetString(first + 7), Json) ?? []);

    public static PredictionRecord? Find(Session session, string organizationId, string predictionId) => session.QuerySingle(
        $"SELECT {Columns} FROM predictions p WHERE p.id = @id AND p.organization_id = @org",
        reader => Read(reader), ("@id", predictionId), ("@org", organizationId));
}
