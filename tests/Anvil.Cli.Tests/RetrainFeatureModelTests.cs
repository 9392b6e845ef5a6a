using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>A feature-vector classifier trained on a CSV file is retrained on feedback vectors as an image model is.</summary>
public class RetrainFeatureModelTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    // A feature classifier trained on the tiny CSV file and registered as acme's "tiny": its train line and its class names in output order.
    private static (JsonElement Champion, List<string> Classes) RegisterTinyChampion(AnvilProcess anvil, int epochs)
    {
        var trained = anvil.Run("train", "--data", RunPipelineTests.WriteCsv(anvil, withMissingCell: false), "--label-column", "y", "--epochs", $"{epochs}", "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var champion = LastJsonLine(trained.Stdout);
        var classes = JsonDocument.Parse(File.ReadAllText(Path.Combine(champion.GetProperty("artifacts_dir").GetString()!, "spec.json")))
            .RootElement.GetProperty("class_names").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        Assert.Equal(0, anvil.Run("register", champion.GetProperty("run_id").GetString()!, "--name", "tiny", "--org", "acme").ExitCode);
        return (champion, classes);
    }

    [Fact]
    public void FeedbackVectorsBecomeANewDatasetVersionAndTheChallengerIsGatedAndRecorded()
    {
        using var anvil = new AnvilProcess();
        var (champion, classes) = RegisterTinyChampion(anvil, epochs: 2);
        // Shifted by +10: the columns are f1 = v, f2 = −v, f3 = v / 2 with v = 2 × class + noise.
        var feedback = Enumerable.Range(0, 40).Select(i => (Class: i % 3, V: (i % 3 * 2) + (i % 5 * 0.1f) + 10)).ToList();
        LoggedFeedback.Add(anvil, "tiny", [.. feedback.Select(f => new[] { f.V, -f.V, f.V / 2 })], "3",
            [.. feedback.Select(f => (classes.IndexOf(new[] { "cat", "dog", "bird" }[f.Class]), new[] { "cat", "dog", "bird" }[f.Class]))]);

        BadInputTests.AssertOneClearError(anvil.Run("retrain", "--model", "tiny", "--org", "acme", "--require", "robust_accuracy_linf_0.1>=0.5"),
            "only image classifiers are attacked; this model takes features inputs"); // refused before training

        var (exit, stdout, stderr) = anvil.Run("retrain", "--model", "tiny", "--org", "acme", "--json");

        Assert.True(exit == 0, stderr + stdout);
        var figures = LastJsonLine(stdout);
        Assert.Equal((30, 10), (figures.GetProperty("feedback_trained").GetInt32(), figures.GetProperty("feedback_held_out").GetInt32()));
        Assert.InRange(figures.GetProperty("p_value").GetDouble(), 0, 1);
        var run = JsonDocument.Parse(anvil.Run("runs", "show", figures.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement;
        Assert.NotEqual(JsonDocument.Parse(anvil.Run("runs", "show", champion.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement.GetProperty("dataset_hash").GetString(),
            run.GetProperty("dataset_hash").GetString());
        Assert.Contains("\"added_samples\"", run.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("\"gate_mcnemar_p\"", run.GetRawText(), StringComparison.Ordinal);
        var shown = JsonDocument.Parse(anvil.Run("models", "show", "tiny", "--org", "acme", "--json").Stdout).RootElement;
        var lineage = shown.GetProperty("retraining").GetProperty("2");
        Assert.Equal((1, 30, 10, 42), (lineage.GetProperty("champion_version").GetInt32(), lineage.GetProperty("feedback_trained").GetInt32(),
            lineage.GetProperty("feedback_held_out").GetInt32(), lineage.GetProperty("seed").GetInt32()));
    }

    [Fact]
    public void AKeySendingWrongLabelsIsLeftOutOfTheRetrainingSetUnlessAllFeedbackIsTrusted()
    {
        using var anvil = new AnvilProcess();
        var (_, classes) = RegisterTinyChampion(anvil, epochs: 30);
        string[] names = ["cat", "dog", "bird"];
        // Inputs like the training rows (f1 = v, f2 = −v, f3 = v / 2 with v = 2 × class + noise), which the champion answers surely.
        var items = Enumerable.Range(0, 40).Select(i => (Class: i % 3, V: (i % 3 * 2) + (i % 5 * 0.1f))).ToList();
        float[][] inputs = [.. items.Select(f => new[] { f.V, -f.V, f.V / 2 })];
        var honest = LoggedFeedback.Add(anvil, "tiny", inputs, "3", [.. items.Select(f => (classes.IndexOf(names[f.Class]), names[f.Class]))]);
        var poisoner = LoggedFeedback.Add(anvil, "tiny", inputs, "3", [.. items.Select(f => (classes.IndexOf(names[(f.Class + 1) % 3]), names[(f.Class + 1) % 3]))]);

        var (exit, stdout, stderr) = anvil.Run("retrain", "--model", "tiny", "--org", "acme", "--json");

        Assert.True(exit == 0, stderr + stdout);
        var figures = LastJsonLine(stdout);
        Assert.Equal(40, figures.GetProperty("feedback_trained").GetInt32() + figures.GetProperty("feedback_held_out").GetInt32());
        var keys = figures.GetProperty("feedback_screen").GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!);
        Assert.Equal(("excluded", 40, 0), (keys[poisoner].GetProperty("decision").GetString(), keys[poisoner].GetProperty("given").GetInt32(), keys[poisoner].GetProperty("used").GetInt32()));
        Assert.InRange(keys[poisoner].GetProperty("contradicted").GetInt32(), 20, 40); // 34 here: the champion is sure (p < 0.05) the label is wrong
        Assert.Equal(("kept", 40), (keys[honest].GetProperty("decision").GetString(), keys[honest].GetProperty("used").GetInt32()));
        Assert.InRange(keys[honest].GetProperty("contradicted").GetInt32(), 0, 4);
        Assert.Contains($"key {poisoner} excluded (", stderr, StringComparison.Ordinal);

        var trusting = anvil.Run("retrain", "--model", "tiny", "--org", "acme", "--trust-all-feedback", "--json");

        Assert.True(trusting.ExitCode == 0, trusting.Stderr + trusting.Stdout);
        var all = LastJsonLine(trusting.Stdout);
        Assert.Equal(80, all.GetProperty("feedback_trained").GetInt32() + all.GetProperty("feedback_held_out").GetInt32());
        Assert.False(all.TryGetProperty("feedback_screen", out _)); // no screen ran
    }
}
