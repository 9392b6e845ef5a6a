using Anvil.Registry.Encryption;
using Anvil.Registry.Runs;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Versions;

namespace Anvil.Registry.Tests.Storage;

/// <summary>The home holds every tenant's inputs, usage and key hashes: only its owner may read it (stat shows 0700 / 0600).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFilesTests : IDisposable
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDirectory _temp = new();

    [Fact]
    public void HomeDatabaseKeysAndRunsAreOwnerOnly()
    {
        var home = new AnvilHome(Path.Combine(_temp.Path, "home"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        using (var database = RegistryDatabase.Open(new RegistryOptions(home.DatabasePath) { KeyEncryptionKey = KeyEncryptionKey.Generate }, clock))
        {
            new Organizations(database, clock).Create("acme"); // a write: -wal and -shm exist now
            var run = new RunStore(database, home, clock).CreateRun("cnn", new Dictionary<string, string>(), "sha256:abc");
            using var signer = ManifestSigner.OpenOrCreate(home);

            Assert.Equal(Folder, Mode(home.Directory));
            // -wal and -shm exist only while a connection is open (SQLite removes them with the last one): look from inside one
            database.Write(_ =>
            {
                foreach (var file in new[] { home.DatabasePath, home.DatabasePath + "-wal", home.DatabasePath + "-shm" })
                    Assert.Equal(File600, Mode(file));
                return 0;
            });
            Assert.Equal(Folder, Mode(Path.Combine(home.Directory, "keys")));
            foreach (var file in Directory.GetFiles(Path.Combine(home.Directory, "keys")))
                Assert.Equal(File600, Mode(file));
            Assert.Equal(Folder, Mode(Path.Combine(home.Directory, "runs")));
            Assert.Equal(Folder, Mode(Path.Combine(home.Directory, "runs", run.Id)));
            Assert.Equal(Folder, Mode(home.RunArtifactsDirectory(run.Id)));
        }
    }

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    public void Dispose() => _temp.Dispose();
}
