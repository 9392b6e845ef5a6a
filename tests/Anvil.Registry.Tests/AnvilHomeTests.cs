namespace Anvil.Registry.Tests;

public sealed class AnvilHomeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void AnvilHomeVariableChoosesTheDirectory()
    {
        var wanted = Path.Combine(_temp.Path, "elsewhere");
        var home = AnvilHome.Resolve(Environment(wanted), currentDirectory: _temp.Path);
        Assert.Equal(wanted, home.Directory);
        Assert.True(Directory.Exists(wanted));
        Assert.Equal(Path.Combine(wanted, "registry.db"), home.DatabasePath);
    }

    [Fact]
    public void WithoutAnvilHomeTheDataLivesInDotAnvilUnderTheCurrentDirectory()
    {
        var home = AnvilHome.Resolve(Environment(null), currentDirectory: _temp.Path);
        Assert.Equal(Path.Combine(_temp.Path, ".anvil"), home.Directory);
        Assert.True(Directory.Exists(home.Directory));
    }

    [Fact]
    public void EmptyAnvilHomeCountsAsUnset()
    {
        var home = AnvilHome.Resolve(Environment("  "), currentDirectory: _temp.Path);
        Assert.Equal(Path.Combine(_temp.Path, ".anvil"), home.Directory);
    }

    [Fact]
    public void RelativeAnvilHomeIsResolvedAgainstTheCurrentDirectory()
    {
        var home = AnvilHome.Resolve(Environment("data/anvil"), currentDirectory: _temp.Path);
        Assert.Equal(Path.Combine(_temp.Path, "data", "anvil"), home.Directory);
    }

    [Fact]
    public void AnvilHomeThatIsAFileIsRejectedWithHowToFixIt()
    {
        var file = Path.Combine(_temp.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        var error = Assert.Throws<RegistryException>(() => AnvilHome.Resolve(Environment(file)));
        Assert.Contains($"'{file}' is a file, not a directory", error.Message);
        Assert.Contains("Set ANVIL_HOME to a directory", error.Message);
    }

    [Fact]
    public void RunArtifactsLiveUnderRunsAndTheRunId()
    {
        var home = new AnvilHome(_temp.Path);
        Assert.Equal(Path.Combine(_temp.Path, "runs", "0123abcd", "artifacts"), home.RunArtifactsDirectory("0123abcd"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../escape")]
    [InlineData("a\\b")]
    public void RunIdThatWouldLeaveTheRunsDirectoryIsRejected(string runId)
    {
        var home = new AnvilHome(_temp.Path);
        var error = Assert.Throws<ArgumentException>(() => home.RunArtifactsDirectory(runId));
        Assert.Contains("cannot name a directory", error.Message);
    }

    public void Dispose() => _temp.Dispose();

    private static Func<string, string?> Environment(string? anvilHome) =>
        name => name == AnvilHome.EnvironmentVariable ? anvilHome : null;
}
