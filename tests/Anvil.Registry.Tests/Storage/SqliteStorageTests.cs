using Anvil.Registry.Encryption;
using Anvil.Registry.Storage;
using Microsoft.Data.Sqlite;

namespace Anvil.Registry.Tests.Storage;

public sealed class SqliteStorageTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly KeyEncryptionKey _kek = KeyEncryptionKey.Generate();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private readonly List<RegistryDatabase> _opened = [];

    private string DatabasePath => Path.Combine(_temp.Path, "registry.db");

    /// <summary>Opens (and migrates) the registry file as the product does, then a raw connection on it.</summary>
    private SqliteConnection Open()
    {
        var database = OpenDatabase();
        return ((SqliteDialect)database.Dialect).OpenSqlite();
    }

    private RegistryDatabase OpenDatabase()
    {
        var database = RegistryDatabase.Open(new RegistryOptions(DatabasePath) { KeyEncryptionKey = () => _kek }, _clock);
        _opened.Add(database);
        return database;
    }

    [Fact]
    public void WriterStillBusyAfterTheTimeoutIsTransientSoTheTransactionIsRunAgain()
    {
        var database = OpenDatabase();
        var dialect = (SqliteDialect)database.Dialect;
        using var holder = dialect.OpenSqlite();
        using var held = holder.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the only write lock
        using var impatient = dialect.OpenSqlite();
        impatient.DefaultTimeout = 1; // seconds Microsoft.Data.Sqlite itself keeps retrying a busy statement
        using (var command = impatient.CreateCommand())
        {
            command.CommandText = "PRAGMA busy_timeout = 0";
            command.ExecuteNonQuery();
        }

        var busy = Assert.Throws<SqliteException>(() => impatient.BeginTransaction(deferred: false));
        Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY
        Assert.True(database.Dialect.IsTransient(busy));
    }

    [Fact]
    public void ConnectionsUseWalForeignKeysABusyTimeoutAndNormalSync()
    {
        using var connection = Open();

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys"));
        Assert.Equal((long)SqliteDialect.BusyTimeoutMilliseconds, Scalar(connection, "PRAGMA busy_timeout"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA synchronous")); // NORMAL: durable commits flush the log themselves, outside the write lock
    }

    [Fact]
    public void APooledConnectionKeepsItsSettings()
    {
        var database = OpenDatabase();
        var handles = new HashSet<object>();
        long Pragma(Session session, string name)
        {
            handles.Add(((SqliteConnection)session.Connection).Handle!);
            return DbReading.ToLong(session.Scalar($"PRAGMA {name}"));
        }

        for (var round = 0; round < 3; round++) // one native connection, taken from the pool again each time
        {
            Assert.Equal(1L, database.Write(session => Pragma(session, "synchronous"), durable: false)); // NORMAL
            Assert.Equal(1L, database.Write(session => Pragma(session, "synchronous")));
            Assert.Equal(1L, database.Read(session => Pragma(session, "foreign_keys")));
            Assert.Equal((long)SqliteDialect.BusyTimeoutMilliseconds, database.Read(session => Pragma(session, "busy_timeout")));
        }

        Assert.Single(handles);
    }

    [Fact]
    public void AStatementIsPreparedOncePerConnectionAndKeepsNoValuesBetweenSessions()
    {
        var database = OpenDatabase();
        database.Write(session => session.Execute("CREATE TABLE t (x INTEGER)"));
        const string Insert = "INSERT INTO t (x) VALUES (@x)";
        var commands = new HashSet<System.Data.Common.DbCommand>();
        for (var round = 0; round < 3; round++)
        {
            database.Write(session =>
            {
                session.Execute(Insert, ("@x", (long)round));
                var kept = database.Dialect.KeptCommands(session.Connection)!;
                commands.Add(kept[Insert]);
                return 0;
            });
        }

        var command = Assert.Single(commands); // the same prepared command in every session on the one kept connection
        Assert.Empty(command.Parameters); // no session's values outlive it
        Assert.Null(command.Transaction);
        Assert.Equal(3L, database.Read(session => DbReading.ToLong(session.Scalar("SELECT COUNT(*) FROM t"))));
    }

    [Fact]
    public void ASessionThatFailsDoesNotLendItsConnectionAgainAndLeavesNothingBehind()
    {
        var database = OpenDatabase();
        database.Write(session => session.Execute("CREATE TABLE t (x INTEGER)"));
        object? failed = null;
        Assert.Throws<InvalidOperationException>(() => database.Write<int>(session =>
        {
            failed = session.Connection;
            session.Execute("INSERT INTO t (x) VALUES (1)");
            throw new InvalidOperationException("the work failed halfway");
        }));

        var next = database.Write(session =>
        {
            session.Execute("INSERT INTO t (x) VALUES (2)");
            return session.Connection;
        });
        Assert.NotSame(failed, next);
        Assert.Equal([2L], database.Read(session => session.Query("SELECT x FROM t", reader => reader.GetInt64(0))));
    }

    [Fact]
    public void KeptConnectionsAreClosedWhenTheDatabaseIsDisposed()
    {
        var database = OpenDatabase();
        var connection = database.Write(session =>
        {
            session.Execute("CREATE TABLE t (x INTEGER)");
            return session.Connection;
        });
        Assert.Equal(System.Data.ConnectionState.Open, connection.State); // kept for the next session

        database.Dispose();
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }

    [Fact]
    public void ADurableWriteFlushesTheLogAndAnUnsyncedOneLeavesItToTheNext()
    {
        var database = OpenDatabase();
        var dialect = (SqliteDialect)database.Dialect;
        database.Write(session => session.Execute("CREATE TABLE t (x INTEGER)"));
        var before = dialect.Flushes;

        database.Write(session => session.Execute("INSERT INTO t (x) VALUES (1)"), durable: false);
        Assert.Equal(before, dialect.Flushes);
        database.Write(session => session.Execute("INSERT INTO t (x) VALUES (2)"));
        Assert.Equal(before + 1, dialect.Flushes);
        Assert.True(File.Exists(DatabasePath + "-wal")); // the file that was flushed
    }

    [Fact]
    public void ConcurrentDurableWritesAllLandAndShareFlushes()
    {
        var database = OpenDatabase();
        var dialect = (SqliteDialect)database.Dialect;
        database.Write(session => session.Execute("CREATE TABLE t (x INTEGER)"));
        var before = dialect.Flushes;
        const int Threads = 8, Writes = 50;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (var i = 0; i < Writes; i++)
                database.Write(session => session.Execute("INSERT INTO t (x) VALUES (@x)", ("@x", (long)((thread * Writes) + i))));
        });

        Assert.Equal((long)Threads * Writes, database.Read(session => DbReading.ToLong(session.Scalar("SELECT COUNT(DISTINCT x) FROM t"))));
        var flushes = dialect.Flushes - before;
        Assert.InRange(flushes, 1, Threads * Writes); // never more than one per commit; one flush covers every commit finished before it began
    }

    [Fact]
    public async Task AWriteWaitsAtTheProcessGateThoughSqlitesLockIsFreeAndGoesOnOnceItOpens()
    {
        var database = OpenDatabase();
        database.Write(session => session.Execute("CREATE TABLE t (x INTEGER)"));
        Task<int> write;
        var began = false;
        using (var held = WriterGate.Of(((SqliteDialect)database.Dialect).Path).Enter(TimeSpan.FromSeconds(5))) // another writer of this process
        {
            Assert.NotNull(held);
            write = Task.Factory.StartNew(() => database.Write(session =>
            {
                Volatile.Write(ref began, true);
                return session.Execute("INSERT INTO t (x) VALUES (1)");
            }), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default); // a thread of its own, started at once
            Assert.False(SpinWait.SpinUntil(() => Volatile.Read(ref began), TimeSpan.FromMilliseconds(500))); // SQLite's lock is free: only the gate holds it back
        }

        Assert.Equal(1, await write);
        Assert.Equal(1L, database.Read(session => DbReading.ToLong(session.Scalar("SELECT COUNT(*) FROM t"))));
    }

    [Fact]
    public void AWriteThatFailsLeavesTheGateToTheNext()
    {
        var database = OpenDatabase();
        database.Write(session => session.Execute("CREATE TABLE t (x INTEGER)"));

        Assert.Throws<InvalidOperationException>(() => database.Write<int>(_ => throw new InvalidOperationException("refused")));

        using var gate = WriterGate.Of(((SqliteDialect)database.Dialect).Path).Enter(TimeSpan.Zero); // free at once: the failed write gave it back
        Assert.NotNull(gate);
    }

    [Fact]
    public async Task TheGateAdmitsOneWriterPerFileAndTimesOut()
    {
        var path = Path.Combine(_temp.Path, "a.db");
        using (var held = WriterGate.Of(path).Enter(TimeSpan.FromSeconds(5)))
        {
            Assert.NotNull(held);
            Assert.Null(await Task.Run(() => WriterGate.Of(path).Enter(TimeSpan.FromMilliseconds(50))));
            using var other = WriterGate.Of(Path.Combine(_temp.Path, "b.db")).Enter(TimeSpan.Zero); // another file has its own gate
            Assert.NotNull(other);
        }

        using var next = WriterGate.Of(path).Enter(TimeSpan.Zero);
        Assert.NotNull(next);
    }

    [Fact]
    public void FlushingAFileThatIsGoneIsNothingToDo()
    {
        var path = Path.Combine(_temp.Path, "log");
        Assert.False(DataSync.Flush(path)); // a checkpoint removed the log: every commit is in the flushed database file
        File.WriteAllText(path, "frames");
        Assert.True(DataSync.Flush(path));
    }

    [Fact]
    public void EveryMigrationIsRecordedOnceAcrossOpens()
    {
        _ = OpenDatabase();
        using var connection = Open();

        Assert.Equal((long)Migrations.All.Count, Scalar(connection, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal((long)Migrations.All[^1].Version, Scalar(connection, "SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    public void FailedMigrationLeavesTheDatabaseAsItWas()
    {
        Migration[] migrations = [new(1, "good", "CREATE TABLE a (x INTEGER);"), new(2, "bad", "CREATE TABLE oops (")];
        using var dialect = new SqliteDialect(DatabasePath);

        Assert.Throws<SqliteException>(() => SchemaMigrator.Migrate(dialect, migrations, _clock.GetUtcNow()));

        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();

        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('a', 'schema_version')"));
    }

    [Fact]
    public void DatabaseFromANewerAnvilIsRefusedWithHowToFixIt()
    {
        using (var connection = Open())
        {
            Execute(connection, "INSERT INTO schema_version (version, description, applied_at) VALUES (999, 'future', 'x')");
        }

        var error = Assert.Throws<RegistryException>(() => OpenDatabase());

        Assert.Contains("is at schema version 999", error.Message);
        Assert.Contains("Upgrade Anvil", error.Message);
    }

    [Fact]
    public void ForeignKeysRejectMetricsOfAnUnknownRun()
    {
        using var connection = Open();
        Assert.Throws<SqliteException>(() => Execute(connection,
            "INSERT INTO run_metrics (run_id, key, value) VALUES ('nope', 'k', 1.0)"));
    }

    public void Dispose()
    {
        _opened.ForEach(database => database.Dispose());
        _temp.Dispose();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
