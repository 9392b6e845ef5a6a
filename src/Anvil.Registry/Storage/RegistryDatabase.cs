using System.Data.Common;
using Anvil.Registry.Encryption;

namespace Anvil.Registry.Storage;

/// <summary>
/// The registry database: SQLite at <see cref="RegistryOptions.SqlitePath"/> by default, PostgreSQL when a
/// connection string is given. Migrated to the newest schema when opened. Thread-safe: every operation
/// takes its own pooled connection, so one instance serves a whole process, and several processes (or
/// serving replicas on PostgreSQL) may share the same database.
/// </summary>
public sealed class RegistryDatabase : IDisposable
{
    private const int TransientRetries = 5;

    private readonly Vault _vault;

    private RegistryDatabase(SqlDialect dialect, Vault vault) => (Dialect, _vault) = (dialect, vault);

    /// <summary>"sqlite" or "postgresql".</summary>
    public string Backend => Dialect.Name;

    /// <summary>The SQLite path, or the PostgreSQL database and host (never the password).</summary>
    public string Location => Dialect.Location;

    internal SqlDialect Dialect { get; }

    public static RegistryDatabase Open(RegistryOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        SqlDialect dialect = options.UsesPostgres
            ? new PostgresDialect(options.PostgresConnectionString!)
            : new SqliteDialect(options.SqlitePath);
        // The KEK is resolved on first use: commands that never read or write encrypted values never need it; a failure
        // is not cached, so a KEK file fixed meanwhile is read at the next use.
        var kek = new Lazy<KeyEncryptionKey>(options.KeyEncryptionKey ?? (() => KeyEncryptionKeySource.Resolve()), LazyThreadSafetyMode.PublicationOnly);
        var database = new RegistryDatabase(dialect, new Vault(kek, time));
        try
        {
            SchemaMigrator.Migrate(dialect, Migrations.All, time.GetUtcNow());
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// PostgreSQL when <c>ANVIL_DATABASE_URL</c> holds a Npgsql connection string, else
    /// <c>registry.db</c> in the Anvil home (<c>$ANVIL_HOME</c> or <c>./.anvil</c>).
    /// </summary>
    public static RegistryDatabase OpenDefault(TimeProvider time) => OpenDefault(time, null);

    /// <summary>The organizations' data keys: crypto-shredding and KEK rotation.</summary>
    public DataKeys DataKeys => new(this);

    /// <summary><see cref="OpenDefault(TimeProvider)"/> reading variables from <paramref name="getEnvironmentVariable"/>.</summary>
    public static RegistryDatabase OpenDefault(TimeProvider time, Func<string, string?>? getEnvironmentVariable)
    {
        var environment = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var home = AnvilHome.Resolve(environment);
        var url = environment(RegistryOptions.DatabaseUrlVariable);
        return Open(new RegistryOptions(home.DatabasePath, string.IsNullOrWhiteSpace(url) ? null : url)
        {
            KeyEncryptionKey = () => KeyEncryptionKeySource.Resolve(environment),
        }, time);
    }

    public void Dispose() => Dialect.Dispose();

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it. A transient failure (a
    /// PostgreSQL deadlock victim, SQLite still busy after its timeout) is rolled back and run again after
    /// a growing, jittered pause, so <paramref name="work"/> must only touch the database.
    /// <paramref name="durable"/> false commits without waiting for the disk (see <see cref="SqlDialect.BeginUnsyncedWrite"/>).
    /// </summary>
    internal T Write<T>(Func<Session, T> work, bool durable = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (result, mark) = InSession(connection =>
                {
                    using var writer = Dialect.EnterWriter(); // released after the commit, before the flush
                    using var transaction = durable ? Dialect.BeginWrite(connection) : Dialect.BeginUnsyncedWrite(connection);
                    using var session = new Session(connection, transaction, Dialect, _vault, Dialect.KeptCommands(connection));
                    var result = work(session);
                    if (durable)
                        return (result, Dialect.CommitForDisk(transaction));
                    transaction.Commit();
                    return (result, 0L);
                });
                if (durable)
                    Dialect.AwaitDisk(mark);
                return result;
            }
            catch (DbException exception) when (attempt < TransientRetries && Dialect.IsTransient(exception))
            {
                // The transaction was rolled back as a whole; nothing of it is left to undo. The pause
                // (10, 20, 40, 80 ms, each up to twice that with jitter) lets the other writer finish
                // instead of colliding with it again in step.
                Thread.Sleep(TimeSpan.FromMilliseconds((5 << attempt) * (1 + Random.Shared.NextDouble())));
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> against one consistent snapshot.</summary>
    internal T Read<T>(Func<Session, T> work) => InSession(connection =>
    {
        using var transaction = Dialect.BeginRead(connection);
        using var session = new Session(connection, transaction, Dialect, _vault, Dialect.KeptCommands(connection));
        var result = work(session);
        transaction.Commit();
        return result;
    });

    // A rented connection goes back to the dialect after a session that ended well; after a failure it is disposed, so a
    // connection in an unknown state (its transaction rolled back by the dispose, or the driver's error) is never reused.
    private T InSession<T>(Func<DbConnection, T> session)
    {
        var connection = Dialect.Rent();
        try
        {
            var result = session(connection);
            Dialect.Return(connection);
            return result;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
