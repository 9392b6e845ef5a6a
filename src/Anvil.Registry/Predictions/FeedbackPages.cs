using System.Text;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Predictions;

/// <summary>
/// An organization's feedback read back page by page, newest first, optionally of one model and one label
/// name. Keyset paging on (created_at, prediction_id): a page costs the same however deep it is, and the
/// cursor is opaque text holding the last row's key.
/// </summary>
public sealed class FeedbackPages(RegistryDatabase db)
{
    public const int MaxLimit = 500;

    public FeedbackPage Read(string organizationId, string? modelName, string? labelName, string? cursor, int limit)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        if (limit is < 1 or > MaxLimit)
            throw new ArgumentException($"limit must be between 1 and {MaxLimit}; got {limit}.");
        if ((modelName ?? "").Contains('\0', StringComparison.Ordinal) || (labelName ?? "").Contains('\0', StringComparison.Ordinal))
            return new FeedbackPage([], null); // no name holds NUL, and PostgreSQL could not even compare it
        (string CreatedAt, string PredictionId)? after = cursor is null ? null : Decode(cursor);
        var sql = new StringBuilder(
            "SELECT f.prediction_id, f.organization_id, f.label, f.label_name, f.comment, f.created_at, p.model_name, p.model_version, p.label_name " +
            "FROM feedback f JOIN predictions p ON p.id = f.prediction_id WHERE f.organization_id = @org");
        var parameters = new List<(string, object?)> { ("@org", organizationId), ("@limit", (long)limit + 1) };
        if (modelName is not null)
        {
            sql.Append(" AND p.model_name = @model");
            parameters.Add(("@model", modelName));
        }
        if (labelName is not null)
        {
            sql.Append(" AND f.label_name = @label");
            parameters.Add(("@label", labelName));
        }
        if (after is { } key)
        {
            sql.Append(" AND (f.created_at < @at OR (f.created_at = @at AND f.prediction_id < @id))");
            parameters.Add(("@at", key.CreatedAt));
            parameters.Add(("@id", key.PredictionId));
        }
        sql.Append(" ORDER BY f.created_at DESC, f.prediction_id DESC LIMIT @limit");
        var rows = db.Read(session => session.Query(sql.ToString(), reader => (
            Item: new FeedbackItem(
                new Feedback(reader.GetString(0), reader.GetString(1), reader.GetInt(2), reader.GetString(3), reader.GetNullableString(4), reader.GetTime(5)),
                reader.GetString(6), reader.GetInt(7), reader.GetString(8)),
            CreatedAt: reader.GetString(5)), [.. parameters])
            .Select(row => (Item: row.Item with { Feedback = FeedbackStore.Open(session, row.Item.Feedback) }, row.CreatedAt)).ToList());
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? Encode(page[^1].CreatedAt, page[^1].Item.Feedback.PredictionId) : null;
        return new FeedbackPage(page.Select(r => r.Item).ToList(), next);
    }

    /// <summary>
    /// The organization's feedback counted per corrected label name: from an index alone, or, for a key scoped to
    /// <paramref name="models"/>, only those models' feedback.
    /// </summary>
    public FeedbackTally Tally(string organizationId, IReadOnlyList<string>? models = null)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        if (models is { Count: 0 })
            return new FeedbackTally([]);
        var scope = models is null ? ""
            : $" AND prediction_id IN (SELECT id FROM predictions WHERE organization_id = @org AND model_name IN ({string.Join(", ", models.Select((_, i) => $"@m{i}"))}))";
        var parameters = (models ?? []).Select((model, i) => ($"@m{i}", (object?)model)).Append(("@org", organizationId)).ToArray();
        return new FeedbackTally(db.Read(session => session.Query(
            $"SELECT label_name, COUNT(*) FROM feedback WHERE organization_id = @org{scope} GROUP BY label_name ORDER BY COUNT(*) DESC, label_name",
            reader => (reader.GetString(0), reader.GetLong(1)),
            parameters)));
    }

    /// <summary>The cursor of the page after the feedback on <paramref name="predictionId"/> given at <paramref name="createdAt"/>.</summary>
    public static string Cursor(DateTimeOffset createdAt, string predictionId) => Encode(TimeText.From(createdAt), predictionId);

    private static string Encode(string createdAt, string predictionId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{createdAt}|{predictionId}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (string CreatedAt, string PredictionId) Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && !text.Contains('\0', StringComparison.Ordinal))
            {
                _ = TimeText.Parse(text[..bar]);
                return (text[..bar], text[(bar + 1)..]);
            }
        }
        catch (FormatException)
        {
            // reported below
        }
        throw new ArgumentException($"The cursor '{cursor}' is not one this server returned; pass next_cursor from the previous page, or leave it out for the first page.", nameof(cursor));
    }
}
