using Anvil.Registry.Encryption;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Predictions;

/// <summary>Feedback on logged predictions, at most one per prediction (a second one replaces the first).</summary>
public sealed class FeedbackStore(RegistryDatabase db, TimeProvider time)
{
    public const int MaxCommentLength = 2_000;

    /// <summary>Null when the organization has no prediction with that id (another organization's counts as none).</summary>
    /// <param name="keyId">The API key that sent the feedback; retraining screens feedback per key.</param>
    public Feedback? Add(string organizationId, string predictionId, int label, string labelName, string? comment, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(predictionId);
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelName);
        if (comment is { Length: > MaxCommentLength })
        {
            throw new ArgumentException(
                $"The comment is {comment.Length} characters; at most {MaxCommentLength} are kept. Shorten it.", nameof(comment));
        }

        if (comment is not null && comment.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("The comment contains the NUL character (U+0000), which is not stored; remove it.", nameof(comment));

        if (predictionId.Contains('\0', StringComparison.Ordinal))
            return null; // no id holds NUL, and PostgreSQL could not even compare it

        var feedback = new Feedback(predictionId, organizationId, label, labelName, comment, time.GetUtcNow(), keyId);
        return db.Write(session =>
        {
            if (!PredictionRows.Exists(session, organizationId, predictionId))
            {
                return null;
            }

            session.Execute(
                "INSERT INTO feedback (prediction_id, organization_id, label, label_name, comment, created_at, key_id) " +
                "VALUES (@id, @org, @label, @labelName, @comment, @now, @key) ON CONFLICT (prediction_id) DO UPDATE SET " +
                "label = excluded.label, label_name = excluded.label_name, comment = excluded.comment, created_at = excluded.created_at, key_id = excluded.key_id",
                ("@id", predictionId), ("@org", organizationId), ("@label", (long)label), ("@labelName", labelName),
                ("@comment", SealedColumns.SealText(session, organizationId, CommentContext(predictionId), comment)), ("@now", TimeText.From(feedback.CreatedAt)), ("@key", keyId));
            return feedback;
        });
    }

    /// <summary>The organization's feedback with the predictions it corrects, oldest first: a retraining set.</summary>
    public IReadOnlyList<(Feedback Feedback, PredictionRecord Prediction)> List(string organizationId, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        var sql =
            $"SELECT f.prediction_id, f.organization_id, f.label, f.label_name, f.comment, f.created_at, f.key_id, {PredictionRows.Columns} " +
            "FROM feedback f JOIN predictions p ON p.id = f.prediction_id WHERE f.organization_id = @org" +
            (modelName is null ? "" : " AND p.model_name = @model") + " ORDER BY f.created_at, f.prediction_id";
        return db.Read(session => session.Query(
            sql,
            reader => (
                Feedback: new Feedback(reader.GetString(0), reader.GetString(1), reader.GetInt(2), reader.GetString(3),
                    reader.GetNullableString(4), reader.GetTime(5), reader.GetNullableString(6)),
                Prediction: PredictionRows.Read(reader, first: 7)),
            modelName is null ? [("@org", organizationId)] : [("@org", organizationId), ("@model", modelName)])
            .Select(row => (Open(session, row.Feedback), PredictionRows.Open(session, organizationId, row.Prediction))).ToList());
    }

    /// <summary><paramref name="stored"/> with its comment decrypted (it is sealed under the organization's data key).</summary>
    internal static Feedback Open(Session session, Feedback stored) =>
        stored with { Comment = SealedColumns.OpenText(session, stored.OrganizationId, CommentContext(stored.PredictionId), stored.Comment) };

    private static string CommentContext(string predictionId) => $"feedback.comment/{predictionId}";
}
