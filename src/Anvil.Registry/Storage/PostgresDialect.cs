using System.Data;
using System.Data.Common;
using Npgsql;

namespace Anvil.Registry.Storage;

/// <summary>
/// A PostgreSQL database shared by any number of serving replicas. Writers run at READ COMMITTED and
/// stay exact through row-locking conditional UPDATEs (a second writer waits for the row, then
/// re-checks the condition on the committed value).
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    private const long MigrationLockKey = 0x616E76696C; // "anvil": any constant shared by every Anvil process

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The message of the original exception may quote the string, password included.
            throw new RegistryException(
                $"{RegistryOptions.DatabaseUrlVariable} is not a valid Npgsql connection string. " +
                "Expected keys such as 'Host=db;Database=anvil;Username=anvil;Password=...'.");
        }

        Location = $"PostgreSQL database '{builder.Database}' on {builder.Host}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override string Name => "postgresql";

    public override string Location { get; }

    public override DbConnection OpenConnection() => _dataSource.OpenConnection();

    public override DbTransaction BeginWrite(DbConnection connection) =>
        connection.BeginTransaction(IsolationLevel.ReadCommitted);

    public override DbTransaction BeginUnsyncedWrite(DbConnection connection)
    {
        var transaction = BeginWrite(connection);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SET LOCAL synchronous_commit = off"; // this transaction only
        command.ExecuteNonQuery();
        return transaction;
    }

    public override DbTransaction BeginRead(DbConnection connection) =>
        connection.BeginTransaction(IsolationLevel.RepeatableRead);

    public override string Translate(string sql) => sql.Replace("{blob}", "BYTEA", StringComparison.Ordinal)
        .Replace("{real}", "DOUBLE PRECISION", StringComparison.Ordinal);

    public override void LockForMigration(Session session) =>
        session.Execute("SELECT pg_advisory_xact_lock(@key)", ("@key", MigrationLockKey));

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransient(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    public override void Dispose() => _dataSource.Dispose();
}
