using Microsoft.Data.Sqlite;

namespace Anvil.Registry.Storage;

/// <summary>
/// The registry's SQLite file as the run store uses it: migrated when constructed, then handing out
/// pooled connections set up by <see cref="SqliteDialect"/> (WAL, foreign keys, busy timeout, synchronous=FULL).
/// </summary>
internal sealed class SqliteDatabase
{
    /// <summary>How long a connection waits for another process's write lock before failing.</summary>
    public const int BusyTimeoutMilliseconds = SqliteDialect.BusyTimeoutMilliseconds;

    private readonly SqliteDialect _dialect;

    public SqliteDatabase(string path, TimeProvider time)
    {
        var database = RegistryDatabase.Open(new RegistryOptions(path), time);
        _dialect = (SqliteDialect)database.Dialect;
    }

    public SqliteConnection Open() => _dialect.OpenSqlite();
}
