namespace Anvil.Registry.Storage;

/// <summary>Brings a database up to the newest <see cref="Migrations"/> step in one transaction.</summary>
internal static class SchemaMigrator
{
    public static void Migrate(SqlDialect dialect, IReadOnlyList<Migration> migrations, DateTimeOffset now)
    {
        using var connection = dialect.OpenConnection();
        using var transaction = dialect.BeginWrite(connection);
        using var session = new Session(connection, transaction, dialect);
        Migrate(session, migrations, dialect.Location, now);
        dialect.CommitDurably(transaction);
    }

    private static void Migrate(Session session, IReadOnlyList<Migration> migrations, string location, DateTimeOffset now)
    {
        var dialect = session.Dialect;
        dialect.LockForMigration(session); // a second process opening the same database waits instead of migrating twice
        session.Execute("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            );
            """);
        var current = DbReading.ToLong(session.Scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > newest)
        {
            throw new RegistryException(
                $"The registry database {location} is at schema version {current}, but this Anvil " +
                $"only knows up to version {newest}. Upgrade Anvil, or point ANVIL_HOME at another directory.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            session.Execute(dialect.Translate(migration.Sql));
            session.Execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @now)",
                ("@version", migration.Version), ("@description", migration.Description), ("@now", TimeText.From(now)));
        }
    }
}
