using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil train --adv-epsilon` through the real CLI: what the run records, the unchanged --json, and refusals.</summary>
public class AdversarialCommandTests
{
    private static string Spec(AnvilProcess anvil)
    {
        var path = Path.Combine(anvil.Home, "adv-cnn.json");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(AnvilProcess.RepositoryRoot, "samples", "adversarial", "spec.json")));
        return path;
    }

    [Fact]
    public void AnAdversarialRunRecordsItsAttackAndKeepsItsJson()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();

        var (exit, stdout, stderr) = anvil.Run("train", "--data-dir", data, "--model", Spec(anvil), "--epochs", "1", "--limit", "128",
            "--batch-size", "64", "--adv-epsilon", "0.1", "--adv-steps", "2", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("Adversarial training: pgd linf ε 0.1: random start, 2 steps of 0.125", stderr, StringComparison.Ordinal);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.DoesNotContain(json.EnumerateObject(), p => p.Name.StartsWith("adversarial", StringComparison.Ordinal));
        var run = JsonDocument.Parse(anvil.Run("runs", "show", json.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement;
        var metrics = run.GetProperty("metrics");
        Assert.Equal(0.1, metrics.GetProperty("adversarial_epsilon").GetDouble());
        Assert.Equal(2, metrics.GetProperty("adversarial_steps").GetDouble());
        Assert.Equal(0.125, metrics.GetProperty("adversarial_step_size").GetDouble(), 9);
        Assert.Contains("pgd linf", run.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void BadSettingsAndDataItCannotAttackAreOneClearErrorAndNoRun()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        string[] common = ["train", "--data-dir", data, "--epochs", "1", "--limit", "128", "--model", Spec(anvil)];

        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--adv-epsilon", "0"]), "adversarial.epsilon must be above 0 and at most 1");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--adv-epsilon", "1.5"]), "adversarial.epsilon must be above 0 and at most 1");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--adv-epsilon", "0.1", "--adv-steps", "0"]), "adversarial.steps must be 1 or more");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--adv-epsilon", "0.1", "--adv-method", "cw"]), "adversarial.method 'cw' is unknown; use pgd or fgsm");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--adv-steps", "3"]), "add --adv-epsilon");
        BadInputTests.AssertOneClearError(anvil.Run([.. common, "--adv-epsilon", "0.1", "--dp-epsilon", "3", "--dp-delta", "1e-3"]), "cannot be combined with privacy");
        var csv = Path.Combine(anvil.Home, "tiny.csv");
        File.WriteAllText(csv, "a,b,y\n" + string.Join('\n', Enumerable.Range(0, 30).Select(i => $"{i % 3},{i % 5},{(i % 2 == 0 ? "x" : "z")}")) + "\n");
        BadInputTests.AssertOneClearError(anvil.Run("train", "--data", csv, "--label-column", "y", "--epochs", "1", "--adv-epsilon", "0.1"), "for image classifiers");
        BadInputTests.AssertOneClearError(anvil.Run("cv", "--data-dir", data, "--folds", "2", "--limit", "128", "--model", Spec(anvil), "--adv-epsilon", "0.1"), "does not train adversarially");

        Assert.DoesNotContain("running", anvil.Run("runs", "list").Stdout, StringComparison.Ordinal);
    }
}
