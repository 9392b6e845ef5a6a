using Microsoft.Data.Sqlite;

namespace Anvil.Registry.Storage;

/// <summary>Brings a database up to the newest <see cref="Migrations"/> step in one transaction.</summary>
internal static class SchemaMigrator
{
    public static void Migrate(SqliteConnection connection, IReadOnlyList<Migration> migrations, string databasePath, DateTimeOffset now)
    {
        // BEGIN IMMEDIATE: a second process opening the same file waits instead of migrating twice.
        using var transaction = connection.BeginTransaction(deferred: false);
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            );
            """);
        var current = CurrentVersion(connection);
        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > newest)
        {
            throw new RegistryException(
                $"The registry database '{databasePath}' is at schema version {current}, but this Anvil " +
                $"only knows up to version {newest}. Upgrade Anvil, or point ANVIL_HOME at another directory.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            connection.Execute(migration.Sql);
            connection.Execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $now)",
                ("$version", migration.Version), ("$description", migration.Description), ("$now", SqliteValues.ToText(now)));
        }

        transaction.Commit();
    }

    private static long CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version");
        return (long)command.ExecuteScalar()!;
    }
}
