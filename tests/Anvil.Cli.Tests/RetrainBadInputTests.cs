using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil retrain` refuses what it cannot learn from in one line, and registers nothing.</summary>
public class RetrainBadInputTests
{
    // `count` sample images logged for the champion with feedback naming `labelName` (index `label`).
    private static void LogFeedback(AnvilProcess anvil, int label, string labelName, int count = 1) =>
        LoggedFeedback.Add(anvil, "fashion", [.. FashionSample.Images(count).Select(image => image.SelectMany(c => c.SelectMany(r => r)).Select(v => (float)v).ToArray())],
            "1,28,28", [.. Enumerable.Repeat((label, labelName), count)]);

    [Fact]
    public void AHeldOutSliceTooSmallForMcNemarIsSaidAndThePromotionRefused()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        LogFeedback(anvil, 7, "Sneaker", count: 8);

        var (exit, stdout, stderr) = anvil.Run("retrain", "--model", "fashion", "--org", "acme", "--promote");

        Assert.True(exit == 4, stderr + stdout);
        Assert.Contains("Gate refused promotion", stdout, StringComparison.Ordinal);
        Assert.Contains("the held-out feedback has 2 items; McNemar's test needs at least 6 discordant items to reach p < 0.05", stdout, StringComparison.Ordinal);
        Assert.Contains("aliases challenger → v2, champion → v1", anvil.Run("models", "show", "fashion", "--org", "acme").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ARequirementTheChallengerDidNotMeasureRefusesPromotionAndABadRequirementTrainsNothing()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        LogFeedback(anvil, 7, "Sneaker", count: 8);
        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "fashion", "--org", "acme", "--require", "robustness>=0.6"),
            "names figure 'robustness', which a trust report does not hold", "robust_accuracy");
        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "fashion", "--org", "acme", "--require", "robust_accuracy>0.6"),
            "--require 'robust_accuracy>0.6' is not FIGURE>=NUMBER or FIGURE<=NUMBER");
        Assert.DoesNotContain("retrain-", anvil.Run("runs", "list").Stdout, StringComparison.Ordinal);

        var (exit, stdout, stderr) = anvil.Run("retrain", "--model", "fashion", "--org", "acme", "--promote",
            "--require", "test_accuracy>=0", "--require", "cv_mean_accuracy>=0.6", "--require", "robust_accuracy_linf_0.05>=0", "--json");

        Assert.True(exit == 4, stderr + stdout);
        Assert.Contains("Requirement test_accuracy>=0: met.", stdout, StringComparison.Ordinal);
        Assert.Contains("Requirement cv_mean_accuracy>=0.6: not met.", stdout, StringComparison.Ordinal);
        Assert.Contains("Attacking the challenger (linf, ε 0.05, PGD-10) for --require", stderr, StringComparison.Ordinal);
        var figures = System.Text.Json.JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        var requirements = figures.GetProperty("requirements").EnumerateArray().ToList();
        Assert.Equal([true, false, true], requirements.Select(r => r.GetProperty("met").GetBoolean()));
        Assert.Equal("cv_mean_accuracy>=0.6 is required but cv_mean_accuracy was not measured for this version (run ./anvil cv on the same data, then refresh the report)",
            requirements[1].GetProperty("failure").GetString());
        var trust = System.Text.Json.JsonDocument.Parse(anvil.Run("models", "trust", "fashion", "--org", "acme", "--version", "2", "--json").Stdout).RootElement;
        Assert.True(trust.GetProperty("robustness").GetProperty("values").GetProperty("robust_accuracy_linf_0.05").GetDouble() >= 0); // measured on the challenger, signed
        Assert.Contains(requirements[1].GetProperty("failure").GetString()!, figures.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("aliases challenger → v2, champion → v1", anvil.Run("models", "show", "fashion", "--org", "acme").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void NoFeedbackLabelsOutsideTheClassesAndAForecasterAreOneClearLineAndNothingIsRegistered()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);

        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "fashion", "--org", "acme"), "has no feedback", "nothing was trained or registered");
        LogFeedback(anvil, 12, "Hat");
        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "fashion", "--org", "acme"), "names class 'Hat' (index 12)", "not one of model 'fashion''s classes (T-shirt/top, Trouser");
        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "nope", "--org", "acme"), "no model 'nope'");
        var listed = anvil.Run("feedback", "list", "--org", "acme");
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        Assert.Contains("→ Hat", listed.Stdout, StringComparison.Ordinal);
        BadInputTests.AssertOneClearError(anvil.Run("feedback", "list", "--org", "acme", "--model", "nope"), "has no model 'nope'");
        BadInputTests.AssertOneClearError(anvil.Run("feedback", "list", "--org", "acme", "--cursor", "bogus"), "next_cursor");
        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "fashion", "--org", "acme", "--held-out", "1.5"), "strictly between 0 and 1");
        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "fashion", "--org", "acme", "--significance", "0"), "--significance must lie strictly between 0 and 1", "got 0");
        BadInputTests.AssertOneClearError(anvil.Run("models", "rollback", "fashion", "--org", "acme"), "no previous champion");

        var trained = anvil.Run("train", "--recipe", SeriesForecastTests.WriteRecipe(anvil, epochs: 1), "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = System.Text.Json.JsonDocument.Parse(trained.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("register", runId[..10], "--name", "temps", "--org", "acme").ExitCode);
        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "temps", "--org", "acme"), "is a series model", "image and feature-vector classifiers only");

        Assert.Contains("fashion: 1 versions; aliases champion → v1", anvil.Run("models", "show", "fashion", "--org", "acme").Stdout, StringComparison.Ordinal);
        var runs = anvil.Run("runs", "list");
        Assert.True(runs.ExitCode == 0, runs.Stderr);
        Assert.DoesNotContain("retrain-", runs.Stdout, StringComparison.Ordinal); // no challenger run was started
    }
}
