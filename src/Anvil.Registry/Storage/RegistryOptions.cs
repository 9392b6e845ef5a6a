namespace Anvil.Registry.Storage;

/// <summary>
/// Where the registry lives: PostgreSQL when <paramref name="PostgresConnectionString"/> is set (a Npgsql
/// connection string; several serving replicas share it), else the SQLite file at <paramref name="SqlitePath"/>.
/// </summary>
public sealed record RegistryOptions(string SqlitePath, string? PostgresConnectionString = null)
{
    /// <summary>Holds a Npgsql connection string for <see cref="RegistryDatabase.OpenDefault(TimeProvider)"/>.</summary>
    public const string DatabaseUrlVariable = "ANVIL_DATABASE_URL";

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>Keeps the connection string, which may hold a password, out of logs and exception messages.</summary>
    public override string ToString() =>
        UsesPostgres ? "RegistryOptions { PostgreSQL }" : $"RegistryOptions {{ SQLite at {SqlitePath} }}";
}
