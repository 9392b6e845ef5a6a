using System.Data.Common;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Predictions;

/// <summary>
/// The logged inputs of one model that retraining and shadow evaluation may use: those whose input was
/// sampled (not empty) and still within the model's retention (<see cref="LogPolicy.RetentionDays"/>), even
/// before <c>./anvil predictions prune</c> has run. Feedback is one per prediction, so a prediction counts once.
/// </summary>
public sealed class LoggedInputs(RegistryDatabase db, TimeProvider time)
{
    /// <summary>A <see cref="LoggedInput"/>'s columns, read by <see cref="ReadRow"/>; FROM predictions p, then a join of feedback f.</summary>
    internal const string Columns = $"SELECT {PredictionRows.Columns}, p.created_at, f.label, f.label_name, f.comment, f.created_at, f.key_id FROM predictions p ";

    // length(input) = 0: an unsampled prediction, which kept no input to learn from or replay.
    private const string Where =
        " feedback f ON f.prediction_id = p.id AND f.organization_id = p.organization_id " +
        "WHERE p.organization_id = @org AND p.model_name = @model AND p.created_at >= @cutoff AND length(p.input) > 0";

    /// <summary>The model's logged inputs that have feedback, oldest first: the raw material of a retraining set.</summary>
    public IReadOnlyList<LoggedInput> Labelled(string organizationId, string modelName) =>
        Read(organizationId, modelName, Columns + "JOIN" + Where + " ORDER BY p.created_at, p.id", null);

    /// <summary>The model's last <paramref name="count"/> logged inputs, with their feedback where it exists, newest first.</summary>
    public IReadOnlyList<LoggedInput> Recent(string organizationId, string modelName, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return Read(organizationId, modelName, Columns + "LEFT JOIN" + Where + " ORDER BY p.created_at DESC, p.id DESC LIMIT @limit", count);
    }

    private List<LoggedInput> Read(string organizationId, string modelName, string sql, int? limit)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(modelName);
        var policy = new PredictionLog(db, time).Policy(organizationId, modelName)
            ?? throw new RegistryException($"No model '{modelName}' in this organization. List models with: ./anvil models list --org <organization>");
        var cutoff = TimeText.From(time.GetUtcNow().AddDays(-policy.RetentionDays));
        return db.Read(session => (limit is { } n
            ? session.Query(sql, reader => ReadRow(reader, organizationId), ("@org", organizationId), ("@model", modelName), ("@cutoff", cutoff), ("@limit", (long)n))
            : session.Query(sql, reader => ReadRow(reader, organizationId), ("@org", organizationId), ("@model", modelName), ("@cutoff", cutoff)))
            .Select(row => Open(session, organizationId, row)).ToList());
    }

    /// <summary>A row as <see cref="ReadRow"/> read it, its sealed values opened with the organization's data key.</summary>
    internal static LoggedInput Open(Session session, string organizationId, (StoredPrediction Prediction, DateTimeOffset CreatedAt, Feedback? Feedback) row) =>
        new(PredictionRows.Open(session, organizationId, row.Prediction), row.CreatedAt, row.Feedback is null ? null : FeedbackStore.Open(session, row.Feedback));

    internal static (StoredPrediction Prediction, DateTimeOffset CreatedAt, Feedback? Feedback) ReadRow(DbDataReader reader, string organizationId)
    {
        var prediction = PredictionRows.Read(reader);
        var feedback = reader.IsDBNull(10) ? null : new Feedback(
            prediction.Id, organizationId, reader.GetInt(9), reader.GetString(10), reader.GetNullableString(11), reader.GetTime(12), reader.GetNullableString(13));
        return (prediction, reader.GetTime(8), feedback);
    }
}
