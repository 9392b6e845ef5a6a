using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil robustness` through the real CLI: the figures, their record on the run, and refusals.</summary>
public class RobustnessCommandTests
{
    [Fact]
    public void AnImageClassifierIsAttackedAndTheFiguresAreRecordedOnItsRun()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil);

        var result = anvil.Run("robustness", runId[..12], "--eps", "0.05,0.5", "--steps", "3", "--limit", "40", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var report = JsonDocument.Parse(result.Stdout.Trim()).RootElement;
        Assert.Equal(40, report.GetProperty("samples").GetInt32());
        var points = report.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([0.05, 0.5], points.Select(p => p.GetProperty("epsilon").GetDouble()));
        var clean = report.GetProperty("clean_accuracy").GetDouble();
        Assert.True(points[0].GetProperty("pgd_accuracy").GetDouble() <= clean);
        Assert.True(points[1].GetProperty("pgd_accuracy").GetDouble() <= points[0].GetProperty("pgd_accuracy").GetDouble());
        Assert.True(report.GetProperty("upper_bound").GetBoolean());
        var recorded = JsonDocument.Parse(anvil.Run("runs", "show", runId, "--json").Stdout).RootElement.GetProperty("metrics");
        Assert.Equal(points[1].GetProperty("pgd_accuracy").GetDouble(), recorded.GetProperty("robust_accuracy_linf_0.5").GetDouble(), 9);
    }

    [Fact]
    public void AFeatureModelAndABadEpsilonAreOneClearError()
    {
        using var anvil = new AnvilProcess();
        var csv = Path.Combine(anvil.Home, "tiny.csv");
        File.WriteAllText(csv, "a,b,y\n" + string.Join('\n', Enumerable.Range(0, 30).Select(i => $"{i % 3},{i % 5},{(i % 2 == 0 ? "x" : "z")}")) + "\n");
        var trained = anvil.Run("train", "--data", csv, "--label-column", "y", "--epochs", "1", "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = JsonDocument.Parse(trained.Stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;

        BadInputTests.AssertOneClearError(anvil.Run("robustness", runId), "image classifiers");
        BadInputTests.AssertOneClearError(anvil.Run("robustness", runId, "--eps", "big"), "--eps takes numbers");
    }
}
