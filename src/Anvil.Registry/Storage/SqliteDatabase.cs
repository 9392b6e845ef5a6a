using Microsoft.Data.Sqlite;

namespace Anvil.Registry.Storage;

/// <summary>
/// One registry database file: migrated to the newest schema when constructed, then handing out
/// pooled connections with foreign keys on and a busy timeout, in WAL mode so readers never block
/// the writer (a CLI can list runs while training logs epochs).
/// </summary>
internal sealed class SqliteDatabase
{
    /// <summary>How long a connection waits for another process's write lock before failing.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    private readonly string _connectionString;

    public SqliteDatabase(string path, TimeProvider time)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        using var connection = Open();
        connection.Execute("PRAGMA journal_mode = WAL;"); // persistent in the file; cannot run inside a transaction
        SchemaMigrator.Migrate(connection, Migrations.All, path, time.GetUtcNow());
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Both are per connection, so they are set on every open, pooled or not.
        connection.Execute($"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};");
        return connection;
    }
}
