using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Anvil.Registry.Encryption;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Predictions;

/// <summary>
/// How a <see cref="PredictionRecord"/> is written to and read from the predictions table. The input and the
/// probabilities (a forecaster's are the forecast, close to its input) are sealed under the organization's data key;
/// labels stay plaintext for the tallies and filters that group on them (docs/decisions/0019-encryption-at-rest.md).
/// </summary>
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

        var input = policy.ShouldLog(prediction.Id) ? SealedColumns.Seal(session, organizationId, InputContext(prediction.Id), prediction.Input) : [];
        session.Execute(
            "INSERT INTO predictions (id, organization_id, request_id, model_name, model_version, input, input_shape, " +
            "label, label_name, probabilities, created_at) " +
            "VALUES (@id, @org, @request, @model, @version, @input, @shape, @label, @labelName, @probabilities, @now)",
            ("@id", prediction.Id), ("@org", organizationId), ("@request", requestId), ("@model", prediction.ModelName),
            ("@version", (long)prediction.ModelVersion), ("@input", input), ("@shape", prediction.InputShape),
            ("@label", (long)prediction.Label), ("@labelName", prediction.LabelName),
            ("@probabilities", SealedColumns.SealText(session, organizationId, ProbabilitiesContext(prediction.Id), JsonSerializer.Serialize(prediction.Probabilities, Json))),
            ("@now", createdAt));
    }

    /// <summary>
    /// Reads <see cref="Columns"/> starting at <paramref name="first"/>, still sealed: <see cref="Open"/> it once the
    /// query's reader is closed (PostgreSQL runs one command at a time per connection, and opening may read a data key).
    /// </summary>
    public static StoredPrediction Read(DbDataReader reader, int first = 0) => new(
        reader.GetString(first), reader.GetString(first + 1), reader.GetInt(first + 2), (byte[])reader.GetValue(first + 3),
        reader.GetString(first + 4), reader.GetInt(first + 5), reader.GetString(first + 6), reader.GetString(first + 7));

    /// <summary>The prediction with its input and probabilities decrypted; a changed byte or an erased key is a <see cref="RegistryException"/>.</summary>
    public static PredictionRecord Open(Session session, string organizationId, StoredPrediction stored) => new(
        stored.Id, stored.ModelName, stored.ModelVersion, SealedColumns.Open(session, organizationId, InputContext(stored.Id), stored.Input),
        stored.InputShape, stored.Label, stored.LabelName,
        JsonSerializer.Deserialize<float[]>(SealedColumns.OpenText(session, organizationId, ProbabilitiesContext(stored.Id), stored.Probabilities)!, Json) ?? []);

    public static PredictionRecord? Find(Session session, string organizationId, string predictionId) => session.Query(
        $"SELECT {Columns} FROM predictions p WHERE p.id = @id AND p.organization_id = @org",
        reader => Read(reader), ("@id", predictionId), ("@org", organizationId)) is [var stored] ? Open(session, organizationId, stored) : null;

    /// <summary>Whether the organization has a prediction with that id, without decrypting it.</summary>
    public static bool Exists(Session session, string organizationId, string predictionId) =>
        session.Scalar("SELECT 1 FROM predictions WHERE id = @id AND organization_id = @org", ("@id", predictionId), ("@org", organizationId)) is not null;

    private static string InputContext(string predictionId) => $"predictions.input/{predictionId}";

    private static string ProbabilitiesContext(string predictionId) => $"predictions.probabilities/{predictionId}";
}
