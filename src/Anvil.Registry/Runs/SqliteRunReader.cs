using Anvil.Registry.Storage;
using Microsoft.Data.Sqlite;

namespace Anvil.Registry.Runs;

/// <summary>Reads whole <see cref="Run"/>s: four queries per call, however many runs are selected.</summary>
internal sealed class SqliteRunReader(AnvilHome home)
{
    private const string NewestFirst = "ORDER BY started_at DESC, id DESC";

    public Run Get(SqliteConnection connection, string idOrPrefix)
    {
        var id = ResolveId(connection, idOrPrefix);
        return Load(connection, "SELECT id FROM runs WHERE id = $id", ("$id", id))[0];
    }

    public IReadOnlyList<Run> List(SqliteConnection connection, int limit) =>
        Load(connection, $"SELECT id FROM runs {NewestFirst} LIMIT $limit", ("$limit", limit));

    /// <summary>Explains, after an update changed nothing, whether the run is missing or in the wrong state.</summary>
    public void ThrowIfUnchanged(SqliteConnection connection, int changed, string runId, string action)
    {
        if (changed > 0)
        {
            return;
        }

        using var command = connection.Command("SELECT status FROM runs WHERE id = $id", ("$id", runId));
        if (command.ExecuteScalar() is not string status)
        {
            throw new RegistryException($"Cannot {action} run '{runId}': no run has that id. Check the id in the run list.");
        }

        var hint = status == "finished" ? "A finished run is closed; start a new run instead." : "Resume it first.";
        throw new RegistryException($"Cannot {action} run '{runId}': it is {status}. {hint}");
    }

    private static string ResolveId(SqliteConnection connection, string idOrPrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrPrefix);
        if (idOrPrefix.Length < RunIds.MinimumPrefixLength)
        {
            throw new RegistryException(
                $"Run id '{idOrPrefix}' is too short: give at least {RunIds.MinimumPrefixLength} characters of the id.");
        }

        using var command = connection.Command(
            "SELECT id FROM runs WHERE substr(id, 1, $length) = $prefix ORDER BY id LIMIT 6",
            ("$length", idOrPrefix.Length), ("$prefix", idOrPrefix));
        var matches = ReadColumn(command);
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

    private List<Run> Load(SqliteConnection connection, string selection, (string Name, object? Value) parameter)
    {
        var parameters = Rows(connection, $"SELECT run_id, key, value FROM run_parameters WHERE run_id IN ({selection}) ORDER BY key", parameter);
        var metrics = Rows(connection, $"SELECT run_id, key, value FROM run_metrics WHERE run_id IN ({selection}) ORDER BY key", parameter);
        var epochs = Rows(connection, $"SELECT run_id, key, value, epoch FROM epoch_metrics WHERE run_id IN ({selection}) ORDER BY epoch, key", parameter);
        using var command = connection.Command(
            "SELECT id, name, status, dataset_hash, started_at, heartbeat_at, finished_at " +
            $"FROM runs WHERE id IN ({selection}) {NewestFirst}", parameter);
        using var reader = command.ExecuteReader();
        var runs = new List<Run>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            runs.Add(new Run
            {
                Id = id,
                Name = reader.GetString(1),
                Status = RunStatusNames.Parse(reader.GetString(2)),
                DatasetHash = reader.GetString(3),
                StartedAt = SqliteValues.ToTime(reader.GetString(4)),
                HeartbeatAt = SqliteValues.ToTime(reader.GetString(5)),
                FinishedAt = reader.IsDBNull(6) ? null : SqliteValues.ToTime(reader.GetString(6)),
                ArtifactsDirectory = home.RunArtifactsDirectory(id),
                Parameters = parameters[id].ToDictionary(row => row.Key, row => (string)row.Value),
                Metrics = metrics[id].ToDictionary(row => row.Key, row => SqliteValues.ToDouble(row.Value)),
                Epochs = [.. epochs[id].GroupBy(row => row.Epoch, (epoch, rows) => new RunEpoch(
                    (int)epoch, rows.ToDictionary(row => row.Key, row => SqliteValues.ToDouble(row.Value))))],
            });
        }

        return runs;
    }

    /// <summary>(run id, key, value[, epoch]) rows grouped by run id; a run with no rows gets an empty group.</summary>
    private static ILookup<string, (string Key, object Value, long Epoch)> Rows(
        SqliteConnection connection, string sql, (string Name, object? Value) parameter)
    {
        using var command = connection.Command(sql, parameter);
        using var reader = command.ExecuteReader();
        var rows = new List<(string RunId, string Key, object Value, long Epoch)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetValue(2), reader.FieldCount > 3 ? reader.GetInt64(3) : 0));
        }

        return rows.ToLookup(row => row.RunId, row => (row.Key, row.Value, row.Epoch));
    }

    private static List<string> ReadColumn(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
