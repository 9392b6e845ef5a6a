using System.Data.Common;
using Anvil.Registry.Encryption;

namespace Anvil.Registry.Storage;

/// <summary>
/// One connection and, usually, its transaction. SQL uses <c>@name</c> parameters, which both SQLite and
/// Npgsql accept; values are always bound, never spliced into SQL. Commands are kept for the life of
/// the session, so a statement run once per request of a group-committed batch is prepared only once, or for the
/// life of the connection when the dialect keeps them (<paramref name="kept"/>: SQLite's rented connections), so a
/// statement run once per request is prepared once per connection.
/// </summary>
internal sealed class Session(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, Vault? vault = null,
    Dictionary<string, DbCommand>? kept = null) : IDisposable
{
    /// <summary>More kept commands than this on one connection (SQL built with varying text) are all finalised.</summary>
    private const int MaxKept = 256;

    private readonly Dictionary<string, DbCommand> _commands = kept ?? new(StringComparer.Ordinal);
    private readonly HashSet<DbCommand> _used = []; // the kept commands this session ran, each once

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>The keys that seal and open values encrypted at rest.</summary>
    public Vault Vault => vault ?? throw new InvalidOperationException("This session was opened without a vault (the schema migrator's).");

    /// <summary>The session's connection (for the dialect's per-connection settings).</summary>
    public DbConnection Connection => connection;

    /// <summary>The session's command for <paramref name="sql"/> with these parameter values; owned by the session.</summary>
    private DbCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = transaction; // a kept command ran in an earlier session's transaction
        if (kept is not null)
            _used.Add(command);
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            if (value is string text && text.Contains('\0', StringComparison.Ordinal))
                throw Unstorable(name);
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    // PostgreSQL cannot store NUL in text (SQLSTATE 22021) and SQLite can: refusing it here keeps both
    // alike and turns what would be a server error deep in a write into one clear message.
    private static RegistryException Unstorable(string parameter) => new(
        $"The value for {parameter.TrimStart('@')} contains the NUL character (U+0000), which the registry does not store; remove it.");

    /// <summary>Runs <paramref name="sql"/> and returns the number of rows it changed.</summary>
    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        return Command(sql, parameters).ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, or null when there is no row (or it is NULL).</summary>
    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var value = Command(sql, parameters).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public List<T> Query<T>(string sql, Func<DbDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var reader = Command(sql, parameters).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public T? QuerySingle<T>(string sql, Func<DbDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters)
        where T : class =>
        Query(sql, map, parameters) is [var row] ? row : null;

    /// <summary>
    /// Runs <paramref name="work"/> inside a savepoint: kept when it returns true, rolled back when it
    /// returns false or throws (the transaction itself stays usable on both backends).
    /// </summary>
    public T InSavepoint<T>(string name, Func<T> work, Func<T, bool> keep)
    {
        var current = transaction ?? throw new InvalidOperationException("Savepoints need a transaction.");
        current.Save(name);
        T result;
        try
        {
            result = work();
        }
        catch
        {
            current.Rollback(name);
            current.Release(name);
            throw;
        }

        if (!keep(result))
        {
            current.Rollback(name);
        }

        current.Release(name);
        return result;
    }

    public void Dispose()
    {
        if (kept is not null && kept.Count <= MaxKept)
        {
            foreach (var command in _used)
            {
                command.Parameters.Clear(); // kept prepared, without holding this session's values
                command.Transaction = null;
            }

            return;
        }

        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
