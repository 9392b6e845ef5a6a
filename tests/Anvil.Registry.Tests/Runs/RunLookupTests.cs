using Anvil.Registry.Runs;
using Anvil.Registry.Tests.Conformance;

namespace Anvil.Registry.Tests.Runs;

public abstract class RunLookupTests(RegistryBackend backend) : IDisposable
{
    private readonly RegistryTestContext _context = new(backend);

    [Fact]
    public void UniquePrefixFindsTheRun()
    {
        var run = _context.CreateRun();
        _context.Clock.Advance(TimeSpan.FromDays(400)); // a far timestamp changes the leading hex digits
        _context.CreateRun();

        Assert.Equal(run.Id, _context.Store.GetRun(run.Id[..RunIds.MinimumPrefixLength]).Id);
    }

    [Fact]
    public void AmbiguousPrefixListsTheMatchingRuns()
    {
        // Runs created in the same millisecond share the 12 hex digits of a GUID v7 timestamp.
        var first = _context.Store.CreateRun("a", new Dictionary<string, string>(), "h");
        var second = _context.Store.CreateRun("b", new Dictionary<string, string>(), "h");

        var error = Assert.Throws<RegistryException>(() => _context.Store.GetRun(first.Id[..8]));

        Assert.Contains($"Run id '{first.Id[..8]}' is ambiguous: it matches 2 runs", error.Message);
        Assert.Contains(first.Id, error.Message);
        Assert.Contains(second.Id, error.Message);
        Assert.Contains("Give more characters", error.Message);
    }

    [Fact]
    public void UnknownPrefixSaysNoRunMatches()
    {
        _context.CreateRun();
        var error = Assert.Throws<RegistryException>(() => _context.Store.GetRun("ffffffff"));
        Assert.Equal("No run has an id starting with 'ffffffff'. Check the id in the run list.", error.Message);
    }

    [Fact]
    public void PrefixShorterThanSixCharactersIsRejected()
    {
        var run = _context.CreateRun();
        var error = Assert.Throws<RegistryException>(() => _context.Store.GetRun(run.Id[..5]));
        Assert.Contains("is too short: give at least 6 characters", error.Message);
    }

    [Fact]
    public void FullIdFindsTheRun()
    {
        _context.CreateRun();
        var run = _context.CreateRun();
        Assert.Equal(run.Id, _context.Store.GetRun(run.Id).Id);
    }

    public void Dispose()
    {
        _context.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteRunLookupTests() : RunLookupTests(new SqliteBackend());

public sealed class PostgresRunLookupTests() : RunLookupTests(new PostgresBackend());
