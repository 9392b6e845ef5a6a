using Anvil.Registry.Storage;
using Npgsql;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>A database with a random name, created on the test PostgreSQL server and dropped afterwards.</summary>
public sealed class PostgresBackend : RegistryBackend
{
    private readonly string _database = $"anvil_test_{Guid.NewGuid():N}";

    public PostgresBackend()
    {
        using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        admin.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
        command.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = _database }.ToString();
    }

    public override string Name => "postgresql";

    public string ConnectionString { get; }

    protected override RegistryOptions Options => new("unused.db", ConnectionString);

    protected override void DropStorage()
    {
        using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        admin.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        command.ExecuteNonQuery();
    }
}
