using Microsoft.Data.Sqlite;

namespace Anvil.Registry.Storage;

/// <summary>Parameterised commands in one line. Values are always bound, never spliced into SQL.</summary>
internal static class SqliteCommands
{
    /// <summary>A command in the connection's current transaction, if any.</summary>
    public static SqliteCommand Command(
        this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs <paramref name="sql"/> and returns the number of rows it changed.</summary>
    public static int Execute(
        this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(sql, parameters);
        return command.ExecuteNonQuery();
    }
}
