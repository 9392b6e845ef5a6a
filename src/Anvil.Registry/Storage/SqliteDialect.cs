using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Anvil.Registry.Storage;

/// <summary>
/// One SQLite file: WAL so readers never block the writer, foreign keys on, a busy timeout, and durable
/// commits, because money is written here and a commit must survive a power cut.
/// </summary>
/// <remarks>
/// A durable commit is SQLite's own commit at <c>synchronous=NORMAL</c> (its frames written to the
/// write-ahead log, the write lock released) followed by an fdatasync of the log, which is what
/// <c>synchronous=FULL</c> does inside the lock. Flushing outside it lets the next writer (a reservation,
/// the next group of usage events) run its SQL while the disk flushes, and one flush covers every commit
/// that finished before it began (group commit across connections). A log frame is overwritten only after
/// a checkpoint has copied it to the database file and flushed that file, and the log is removed only
/// after such a checkpoint, so a commit missing from the log when it is flushed is already on disk.
/// </remarks>
internal sealed class SqliteDialect : SqlDialect
{
    /// <summary>How long a connection waits for another process's write lock before failing.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    private const int SqliteBusy = 5, SqliteLocked = 6;
    private const int ConstraintPrimaryKey = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY
    private const int ConstraintUnique = 2067; // SQLITE_CONSTRAINT_UNIQUE

    /// <summary>The native connections already given their settings (the pool hands them out again).</summary>
    private static readonly ConditionalWeakTable<sqlite3, object> Configured = new();

    /// <summary>At most this many open connections wait for the next session, each with its prepared commands.</summary>
    private const int MaxIdle = 32;

    private readonly string _connectionString;
    private readonly ConcurrentStack<SqliteConnection> _idle = new();
    private readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> _kept = new();
    private volatile bool _disposed;
    private readonly Lock _flushing = new();
    private long _committed; // durable commits of this process that returned from SQLite's commit
    private long _flushed; // how many of them a flush of the log has covered
    private readonly WriterGate _writers;

    public SqliteDialect(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _writers = WriterGate.Of(Path);
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

    // Sessions rent open connections and give them back with their prepared commands: compiling the SQL of each
    // statement again on every open was a tenth of a metered prediction's time (docs/decisions/0005-serving-path.md).
    public override DbConnection Rent() => _idle.TryPop(out var connection) ? connection : OpenSqlite();

    public override void Return(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_disposed || _idle.Count >= MaxIdle)
        {
            connection.Dispose();
            return;
        }

        _idle.Push((SqliteConnection)connection);
        if (_disposed && _idle.TryPop(out var late)) // disposed meanwhile: do not keep the file open
            late.Dispose();
    }

    public override Dictionary<string, DbCommand> KeptCommands(DbConnection connection) =>
        _kept.GetValue(connection, _ => new Dictionary<string, DbCommand>(StringComparer.Ordinal));

    public SqliteConnection OpenSqlite()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // The settings belong to the native connection, which the pool hands out again: set them once per
        // native connection, not on every open (four statements on each of the four opens of a prediction).
        // secure_delete zeroes deleted and overwritten content, so a destroyed data key or an erased row does not
        // linger in free pages (crypto-shredding, docs/decisions/0019-encryption-at-rest.md).
        if (!Configured.TryGetValue(connection.Handle!, out _))
        {
            Run(connection, $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;");
            Configured.AddOrUpdate(connection.Handle!, Configured);
        }

        return connection;
    }

    // BEGIN IMMEDIATE takes the write lock up front: a read-then-write transaction never fails halfway
    // with SQLITE_BUSY because another writer got in between. Durability comes from CommitDurably.
    public override DbTransaction BeginWrite(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);

    // WAL with synchronous=NORMAL: the commit is in the log (safe from kill -9), and the next flush of the
    // log (AwaitDisk) takes it to disk with its own.
    public override DbTransaction BeginUnsyncedWrite(DbConnection connection) => BeginWrite(connection);

    public override IDisposable EnterWriter() =>
        _writers.Enter(TimeSpan.FromMilliseconds(BusyTimeoutMilliseconds))
        ?? throw new SqliteException($"Another write to the registry database {Path} in this process held it for over {BusyTimeoutMilliseconds} ms; this write was not made.", SqliteBusy);

    public override long CommitForDisk(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        transaction.Commit();
        return Interlocked.Increment(ref _committed);
    }

    public override void AwaitDisk(long mark)
    {
        lock (_flushing)
        {
            if (_flushed >= mark)
                return; // a flush that began after this commit returned has covered it
            var covered = Interlocked.Read(ref _committed);
            try
            {
                Flushes++;
                DataSync.Flush(Path + "-wal"); // no log file: a checkpoint moved every commit into the flushed database file
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) // the log's path no longer opens, or its flush failed
            {
                throw new UnconfirmedWriteException($"The registry database {Path} could not be flushed to disk, so commits since the last flush may not survive a crash: {e.Message}", e);
            }

            _flushed = covered;
        }
    }

    /// <summary>Number of flushes of the log this process made for durable commits (for tests of the group flush).</summary>
    internal long Flushes { get; private set; }

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

    public override void DropOldPages()
    {
        using var connection = OpenSqlite();
        Run(connection, "PRAGMA wal_checkpoint(TRUNCATE);"); // copies the log into the file and empties it; best effort while readers hold old frames
    }

    public override void Dispose()
    {
        // Kept and pooled connections keep the file open; a disposed database lets it go.
        _disposed = true;
        while (_idle.TryPop(out var idle))
            idle.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
