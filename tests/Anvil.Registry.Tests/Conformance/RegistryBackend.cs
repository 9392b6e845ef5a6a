using Anvil.Registry.Encryption;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// A fresh, empty registry database for one test. <see cref="OpenReplica"/> opens another
/// <see cref="RegistryDatabase"/> on the same data, as a second process or serving replica would.
/// </summary>
public abstract class RegistryBackend : IDisposable
{
    private readonly List<RegistryDatabase> _opened = [];

    public abstract string Name { get; }

    /// <summary>The key-encryption key replicas open with unless told another (never the user's real one).</summary>
    public KeyEncryptionKey Kek { get; } = KeyEncryptionKey.Generate();

    public RegistryDatabase OpenReplica(TimeProvider time, KeyEncryptionKey? kek = null)
    {
        var database = RegistryDatabase.Open(Options with { KeyEncryptionKey = () => kek ?? Kek }, time);
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

    protected abstract RegistryOptions Options { get; }

    public void Dispose()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        DropStorage();
        GC.SuppressFinalize(this);
    }

    protected abstract void DropStorage();
}
