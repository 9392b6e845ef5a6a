using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Anvil.Registry.Storage;

/// <summary>
/// One SQLite file: WAL so readers never block the writer, foreign keys on, a busy timeout, and
/// <c>synchronous=FULL</c> because money is written here and a commit must survive a power cut.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    /// <summary>How long a connection waits for another process's write lock before failing.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    private const int SqliteBusy = 5, SqliteLocked = 6;
    private const int ConstraintPrimaryKey = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY
    private const int ConstraintUnique = 2067; // SQLITE_CONSTRAINT_UNIQUE

    /// <summary>Whether each native connection is at synchronous=FULL (true) or NORMAL (false) now.</summary>
    private static readonly ConditionalWeakTable<sqlite3, StrongBox<bool>> Synchronous = new();

    private readonly string _connectionString;

    public SqliteDialect(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is not null)
        {
            PrivateFiles.CreateDirectory(directory);
        }

        CreatePrivately(Path);

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        using var connection = OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;"; // persistent in the file; cannot run inside a transaction
        command.ExecuteNonQuery();
    }

    public string Path { get; }

    // SQLite creates -wal and -shm with the database file's mode, so an empty 0600 file made here
    // (an empty file is a valid new database) keeps all three private.
    private static void CreatePrivately(string path)
    {
        try
        {
            using var created = new FileStream(path, PrivateFiles.CreateNew());
        }
        catch (IOException) when (File.Exists(path))
        {
            // an existing database keeps its file
        }
    }

    public override string Name => "sqlite";

    public override string Location => Path;

    public override DbConnection OpenConnection() => OpenSqlite();

    public SqliteConnection OpenSqlite()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // The settings belong to the native connection, which the pool hands out again: set them once per
        // native connection, not on every open (three statements on each of the four opens of a prediction).
        if (!Synchronous.TryGetValue(connection.Handle!, out _))
        {
            Run(connection, $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = FULL;");
            Synchronous.AddOrUpdate(connection.Handle!, new StrongBox<bool>(true));
        }

        return connection;
    }

    // BEGIN IMMEDIATE takes the write lock up front: a read-then-write transaction never fails halfway
    // with SQLITE_BUSY because another writer got in between. A durable write needs synchronous=FULL.
    public override DbTransaction BeginWrite(DbConnection connection)
    {
        SetSynchronous((SqliteConnection)connection, full: true);
        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }

    // WAL with synchronous=NORMAL: the commit is in the WAL (safe from kill -9) and the next FULL commit
    // fsyncs the WAL with it.
    public override DbTransaction BeginUnsyncedWrite(DbConnection connection)
    {
        SetSynchronous((SqliteConnection)connection, full: false);
        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }

    private static void SetSynchronous(SqliteConnection connection, bool full)
    {
        var state = Synchronous.GetValue(connection.Handle!, _ => new StrongBox<bool>(!full));
        if (state.Value == full)
            return;
        Run(connection, full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
        state.Value = full;
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public override DbTransaction BeginRead(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: true);

    public override string Translate(string sql) => sql.Replace("{blob}", "BLOB", StringComparison.Ordinal)
        .Replace("{real}", "REAL", StringComparison.Ordinal);

    public override void LockForMigration(Session session)
    {
        // BEGIN IMMEDIATE already holds the only write lock.
    }

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };

    // Busy or locked after busy_timeout ran out: another writer (feedback, a CLI command, another process)
    // held the only write lock that long. The whole transaction is run again after a pause, rather than
    // failing a ledger group that holds every tenant's billed answers.
    public override bool IsTransient(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    public override void Dispose()
    {
        // Pooled connections keep the file open; a disposed database lets it go.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
