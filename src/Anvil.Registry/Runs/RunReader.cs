using System.Globalization;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Runs;

/// <summary>Reads whole <see cref="Run"/>s: five queries per call, however many runs are selected.</summary>
internal sealed class RunReader(AnvilHome home)
{
    private const string NewestFirst = "ORDER BY started_at DESC, id DESC";

    public Run Get(Session session, string idOrPrefix)
    {
        var id = ResolveId(session, idOrPrefix);
        return Load(session, "SELECT id FROM runs WHERE id = @id", epochs: true, ("@id", id))[0];
    }

    /// <summary>The newest runs matching <paramref name="filter"/>; with <paramref name="epochs"/> false, their <see cref="Run.Epochs"/> are left empty.</summary>
    public IReadOnlyList<Run> List(Session session, int limit, RunFilter filter, bool epochs = true)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", limit) };
        if (filter.Tag is { Key: var key, Value: var value })
        {
            conditions.Add("id IN (SELECT run_id FROM run_tags WHERE key = @key AND value = @value)");
            parameters.AddRange([("@key", key), ("@value", value)]);
        }

        if (filter.OrganizationId is not null)
        {
            conditions.Add("organization_id = @org");
            parameters.Add(("@org", filter.OrganizationId));
        }

        if (filter.Status is { } status)
        {
            conditions.Add("status = @status");
            parameters.Add(("@status", RunStatusNames.ToText(status)));
        }

        if (!string.IsNullOrEmpty(filter.NameContains))
        {
            conditions.Add(@"name LIKE @name ESCAPE '\'");
            parameters.Add(("@name", "%" + Escape(filter.NameContains) + "%"));
        }

        if (filter.DatasetHash is not null)
        {
            conditions.Add("dataset_hash = @dataset");
            parameters.Add(("@dataset", filter.DatasetHash));
        }

        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions) + " ";
        return Load(session, $"SELECT id FROM runs {where}{NewestFirst} LIMIT @limit", epochs, [.. parameters]);
    }

    /// <summary>The runs of <paramref name="organizationId"/> among <paramref name="ids"/> (full ids), newest first; others' are left out.</summary>
    public IReadOnlyList<Run> Find(Session session, IReadOnlyList<string> ids, string organizationId)
    {
        if (ids.Count == 0)
            return [];
        var names = ids.Select((_, i) => $"@id{i}").ToList();
        var parameters = ids.Select((id, i) => ($"@id{i}", (object?)id)).Append(("@org", organizationId)).ToArray();
        return Load(session, $"SELECT id FROM runs WHERE organization_id = @org AND id IN ({string.Join(", ", names)})", epochs: true, parameters);
    }

    private static string Escape(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    /// <summary>The id of a run given by id, unique id prefix or unique name.</summary>
    public static string ResolveId(Session session, string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        return reference.All(char.IsAsciiHexDigitLower) ? ResolvePrefix(session, reference) : ResolveName(session, reference);
    }

    /// <summary>Explains, after an update changed nothing, whether the run is missing or in the wrong state.</summary>
    public static void ThrowIfUnchanged(Session session, int changed, string runId, string action)
    {
        if (changed > 0)
        {
            return;
        }

        if (session.Scalar("SELECT status FROM runs WHERE id = @id", ("@id", runId)) is not string status)
        {
            throw new RegistryException($"Cannot {action} run '{runId}': no run has that id. Check the id in the run list.");
        }

        var hint = status == "finished" ? "A finished run is closed; start a new run instead." : "Resume it first.";
        throw new RegistryException($"Cannot {action} run '{runId}': it is {status}. {hint}");
    }

    private static string ResolveName(Session session, string name)
    {
        var matches = session.Query(
            $"SELECT id FROM runs WHERE name = @name {NewestFirst} LIMIT 6", reader => reader.GetString(0), ("@name", name));
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new RegistryException(
                $"No run has the id or name '{name}'. Check it in ./anvil runs list."),
            _ => throw new RegistryException(
                $"{(matches.Count > 5 ? "More than 5" : matches.Count)} runs are named '{name}' " +
                $"({string.Join(", ", matches.Take(5).Select(id => id[..12]))}, newest first). Give the run's id instead."),
        };
    }

    private static string ResolvePrefix(Session session, string idOrPrefix)
    {
        if (idOrPrefix.Length < RunIds.MinimumPrefixLength)
        {
            throw new RegistryException(
                $"Run id '{idOrPrefix}' is too short: give at least {RunIds.MinimumPrefixLength} characters of the id.");
        }

        var matches = session.Query(
            "SELECT id FROM runs WHERE substr(id, 1, @length) = @prefix ORDER BY id LIMIT 6",
            reader => reader.GetString(0), ("@length", idOrPrefix.Length), ("@prefix", idOrPrefix));
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new RegistryException(
                $"No run has an id starting with '{idOrPrefix}'. Check the id in the run list."),
            _ => throw new RegistryException(
                $"Run id '{idOrPrefix}' is ambiguous: it matches {(matches.Count > 5 ? "more than 5" : matches.Count)} " +
                $"runs ({string.Join(", ", matches.Take(5))}). Give more characters."),
        };
    }

    private List<Run> Load(Session session, string selection, bool epochs, params (string Name, object? Value)[] parameter)
    {
        var parameters = Rows(session, $"SELECT run_id, key, value FROM run_parameters WHERE run_id IN ({selection}) ORDER BY key", parameter);
        var tags = Rows(session, $"SELECT run_id, key, value FROM run_tags WHERE run_id IN ({selection}) ORDER BY key", parameter);
        var metrics = Rows(session, $"SELECT run_id, key, value FROM run_metrics WHERE run_id IN ({selection}) ORDER BY key", parameter);
        var epochRows = epochs
            ? Rows(session, $"SELECT run_id, key, value, epoch FROM epoch_metrics WHERE run_id IN ({selection}) ORDER BY epoch, key", parameter)
            : Array.Empty<(string RunId, string Key, object Value, long Epoch)>().ToLookup(row => row.RunId, row => (row.Key, row.Value, row.Epoch));
        return session.Query(
            "SELECT id, name, status, dataset_hash, started_at, heartbeat_at, finished_at, organization_id " +
            $"FROM runs WHERE id IN ({selection}) {NewestFirst}",
            reader =>
            {
                var id = reader.GetString(0);
                return new Run
                {
                    Id = id,
                    Name = reader.GetString(1),
                    Status = RunStatusNames.Parse(reader.GetString(2)),
                    DatasetHash = reader.GetString(3),
                    StartedAt = TimeText.Parse(reader.GetString(4)),
                    HeartbeatAt = TimeText.Parse(reader.GetString(5)),
                    FinishedAt = reader.IsDBNull(6) ? null : TimeText.Parse(reader.GetString(6)),
                    OrganizationId = reader.IsDBNull(7) ? null : reader.GetString(7),
                    ArtifactsDirectory = home.RunArtifactsDirectory(id),
                    Parameters = parameters[id].ToDictionary(row => row.Key, row => (string)row.Value),
                    Tags = tags[id].ToDictionary(row => row.Key, row => (string)row.Value),
                    Metrics = metrics[id].ToDictionary(row => row.Key, row => Metric(row.Value)),
                    Epochs = [.. epochRows[id].GroupBy(row => row.Epoch, (epoch, rows) => new RunEpoch(
                        (int)epoch, rows.ToDictionary(row => row.Key, row => Metric(row.Value))))],
                };
            },
            parameter);
    }

    private static double Metric(object column) => column is DBNull ? double.NaN : Convert.ToDouble(column, CultureInfo.InvariantCulture);

    /// <summary>(run id, key, value[, epoch]) rows grouped by run id; a run with no rows gets an empty group.</summary>
    private static ILookup<string, (string Key, object Value, long Epoch)> Rows(
        Session session, string sql, (string Name, object? Value)[] parameter) =>
        session.Query(
                sql,
                reader => (RunId: reader.GetString(0), Key: reader.GetString(1), Value: reader.GetValue(2),
                    Epoch: reader.FieldCount > 3 ? Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture) : 0L),
                parameter)
            .ToLookup(row => row.RunId, row => (row.Key, row.Value, row.Epoch));
}
