using Anvil.Registry.Runs;

namespace Anvil.Registry.Tests;

/// <summary>A temp Anvil home with a fake clock and a run store on its database.</summary>
public sealed class RegistryTestContext : IDisposable
{
    private readonly TempDirectory _temp = new();

    public RegistryTestContext()
    {
        Home = new AnvilHome(System.IO.Path.Combine(_temp.Path, "home"));
        Store = NewStore();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public AnvilHome Home { get; }

    public SqliteRunStore Store { get; }

    /// <summary>Another store on the same database file, as a second process would open it.</summary>
    public SqliteRunStore NewStore() => new(Home, Clock);

    /// <summary>Creates a run and moves the clock a second, so runs have distinct start times.</summary>
    public Run CreateRun(string name = "mnist-cnn", IReadOnlyDictionary<string, string>? parameters = null)
    {
        var run = Store.CreateRun(name, parameters ?? new Dictionary<string, string>(), "sha256:abc");
        Clock.Advance(TimeSpan.FromSeconds(1));
        return run;
    }

    public void Dispose() => _temp.Dispose();
}
