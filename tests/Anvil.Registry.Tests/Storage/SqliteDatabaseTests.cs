using Anvil.Registry.Storage;
using Microsoft.Data.Sqlite;

namespace Anvil.Registry.Tests.Storage;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private string DatabasePath => Path.Combine(_temp.Path, "registry.db");

    [Fact]
    public void ConnectionsUseWalForeignKeysABusyTimeoutAndFullSync()
    {
        using var connection = new SqliteDatabase(DatabasePath, _clock).Open();

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys"));
        Assert.Equal((long)SqliteDatabase.BusyTimeoutMilliseconds, Scalar(connection, "PRAGMA busy_timeout"));
        Assert.Equal(2L, Scalar(connection, "PRAGMA synchronous")); // FULL
    }

    [Fact]
    public void EveryMigrationIsRecordedOnceAcrossOpens()
    {
        _ = new SqliteDatabase(DatabasePath, _clock);
        using var connection = new SqliteDatabase(DatabasePath, _clock).Open();

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
        using (var connection = new SqliteDatabase(DatabasePath, _clock).Open())
        {
            connection.Execute("INSERT INTO schema_version (version, description, applied_at) VALUES (999, 'future', 'x')");
        }

        var error = Assert.Throws<RegistryException>(() => new SqliteDatabase(DatabasePath, _clock));

        Assert.Contains("is at schema version 999", error.Message);
        Assert.Contains("Upgrade Anvil", error.Message);
    }

    [Fact]
    public void ForeignKeysRejectMetricsOfAnUnknownRun()
    {
        using var connection = new SqliteDatabase(DatabasePath, _clock).Open();
        Assert.Throws<SqliteException>(() => connection.Execute(
            "INSERT INTO run_metrics (run_id, key, value) VALUES ('nope', 'k', 1.0)"));
    }

    public void Dispose() => _temp.Dispose();

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.Command(sql);
        return command.ExecuteScalar();
    }
}
