using Anvil.Registry.Runs;
using Anvil.Registry.Tests.Conformance;

namespace Anvil.Registry.Tests;

/// <summary>A temp Anvil home with a fake clock and a run store on a fresh database of the given backend.</summary>
public sealed class RegistryTestContext : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RegistryBackend _backend;
    private RunStore? _store;

    public RegistryTestContext(RegistryBackend backend)
    {
        _backend = backend;
        Home = new AnvilHome(System.IO.Path.Combine(_temp.Path, "home"));
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public AnvilHome Home { get; }

    public RunStore Store => _store ??= NewStore();

    /// <summary>Another store on the same database, as a second process would open it.</summary>
    public RunStore NewStore() => new(_backend.OpenReplica(Clock), Home, Clock);

    /// <summary>Creates a run and moves the clock a second, so runs have distinct start times.</summary>
    public Run CreateRun(string name = "mnist-cnn", IReadOnlyDictionary<string, string>? parameters = null)
    {
        var run = Store.CreateRun(name, parameters ?? new Dictionary<string, string>(), "sha256:abc");
        Clock.Advance(TimeSpan.FromSeconds(1));
        return run;
    }

    public void Dispose()
    {
        _backend.Dispose();
        _temp.Dispose();
    }
}
