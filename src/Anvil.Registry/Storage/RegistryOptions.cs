using Anvil.Registry.Encryption;

namespace Anvil.Registry.Storage;

/// <summary>
/// Where the registry lives: PostgreSQL when <paramref name="PostgresConnectionString"/> is set (a Npgsql
/// connection string; several serving replicas share it), else the SQLite file at <paramref name="SqlitePath"/>.
/// </summary>
public sealed record RegistryOptions(string SqlitePath, string? PostgresConnectionString = null)
{
    /// <summary>Holds a Npgsql connection string for <see cref="RegistryDatabase.OpenDefault(TimeProvider)"/>.</summary>
    public const string DatabaseUrlVariable = "ANVIL_DATABASE_URL";

    /// <summary>
    /// Loads the key-encryption key, called once on first use (see <see cref="KeyEncryptionKeySource"/>); null reads
    /// <c>ANVIL_KEK</c> / <c>ANVIL_KEK_FILE</c> from the process environment. Tests pass their own.
    /// </summary>
    public Func<KeyEncryptionKey>? KeyEncryptionKey { get; init; }

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>Keeps the connection string, which may hold a password, out of logs and exception messages.</summary>
    public override string ToString() =>
        UsesPostgres ? "RegistryOptions { PostgreSQL }" : $"RegistryOptions {{ SQLite at {SqlitePath} }}";
}
