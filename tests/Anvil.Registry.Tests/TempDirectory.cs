using Microsoft.Data.Sqlite;

namespace Anvil.Registry.Tests;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("anvil-registry-tests-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools(); // pooled connections keep database files open
        Directory.Delete(Path, recursive: true);
    }
}
