using Anvil.Registry.Encryption;
using Anvil.Registry.Storage;
using Anvil.Registry.Tests.Conformance;

namespace Anvil.Registry.Tests.Storage;

public sealed class RegistryDatabaseTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void OpenDefaultUsesSqliteInTheAnvilHomeWithoutADatabaseUrl()
    {
        var home = Path.Combine(_temp.Path, "home");

        using var database = RegistryDatabase.OpenDefault(_clock, Environment(home, url: null));

        Assert.Equal("sqlite", database.Backend);
        Assert.Equal(Path.Combine(home, "registry.db"), database.Location);
        Assert.True(File.Exists(Path.Combine(home, "registry.db")));
    }

    [Fact]
    public void OpenDefaultUsesPostgresWhenTheDatabaseUrlIsSet()
    {
        using var backend = new PostgresBackend();

        using var database = RegistryDatabase.OpenDefault(_clock, Environment(Path.Combine(_temp.Path, "home"), backend.ConnectionString));

        Assert.Equal("postgresql", database.Backend);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "home", "registry.db")));
    }

    [Fact]
    public void BadConnectionStringIsRefusedWithoutEchoingIt()
    {
        var error = Assert.Throws<RegistryException>(() =>
            RegistryDatabase.Open(new RegistryOptions("x.db", "Host=db;Password=hunter2;NoSuchKey=1"), _clock));

        Assert.Contains("ANVIL_DATABASE_URL is not a valid Npgsql connection string", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.DoesNotContain("hunter2", new RegistryOptions("x.db", "Host=db;Password=hunter2").ToString());
    }

    [Fact]
    public void OpenDefaultTakesTheKeyEncryptionKeyFromTheGivenEnvironment()
    {
        var kek = KeyEncryptionKey.Generate();
        var home = Path.Combine(_temp.Path, "home");

        using var database = RegistryDatabase.OpenDefault(_clock, name => name == KeyEncryptionKeySource.Variable ? kek.ToBase64() : Environment(home, url: null)(name));
        using var withoutKek = RegistryDatabase.OpenDefault(_clock, name => name == KeyEncryptionKeySource.FileVariable ? Path.Combine(_temp.Path, "missing") : Environment(home, url: null)(name));

        Assert.Equal(kek.Fingerprint, database.DataKeys.CheckKek());
        Assert.Contains("does not exist", Assert.Throws<RegistryException>(() => withoutKek.DataKeys.CheckKek()).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static Func<string, string?> Environment(string home, string? url) => name => name switch
    {
        AnvilHome.EnvironmentVariable => home,
        RegistryOptions.DatabaseUrlVariable => url,
        _ => null,
    };
}
