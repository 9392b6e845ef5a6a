using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`models log-policy` and `predictions prune` through the real CLI.</summary>
public class PredictionsCommandTests
{
    [Fact]
    public void LogPolicyIsShownSetAndCheckedAndPruneReportsWhatItDeleted()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);

        var shown = anvil.Run("models", "log-policy", "fashion", "--org", "acme");
        Assert.True(shown.ExitCode == 0, shown.Stderr);
        Assert.Contains("fashion: logs 100% of inputs, kept 30 days", shown.Stdout, StringComparison.Ordinal);
        var set = anvil.Run("models", "log-policy", "fashion", "--org", "acme", "--sample-rate", "0.25", "--retention-days", "7");
        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.Contains("fashion: logs 25% of inputs, kept 7 days", anvil.Run("models", "log-policy", "fashion", "--org", "acme").Stdout, StringComparison.Ordinal);

        var tooHigh = anvil.Run("models", "log-policy", "fashion", "--org", "acme", "--sample-rate", "1.5");
        Assert.Equal(1, tooHigh.ExitCode);
        Assert.Contains("sample rate must be between 0", tooHigh.Stderr, StringComparison.Ordinal);
        var missing = anvil.Run("models", "log-policy", "nope", "--org", "acme", "--retention-days", "3");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("has no model 'nope'", missing.Stderr, StringComparison.Ordinal);

        var pruned = anvil.Run("predictions", "prune", "--org", "acme");
        Assert.True(pruned.ExitCode == 0, pruned.Stderr);
        Assert.Contains("Pruned 0 logged predictions past retention of 'acme'", pruned.Stdout, StringComparison.Ordinal);
    }
}
