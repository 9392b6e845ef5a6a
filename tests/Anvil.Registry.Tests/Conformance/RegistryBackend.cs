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

    public RegistryDatabase OpenReplica(TimeProvider time)
    {
        var database = RegistryDatabase.Open(Options, time);
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
