using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>A text corpus end to end through the CLI: token ids, the recurrent model, its baseline, the saved vocabulary.</summary>
public class TextRunTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    internal static string WriteRecipe(AnvilProcess anvil, int epochs, string text = """{ "max_length": 64, "min_count": 1 }""")
    {
        var path = Path.Combine(anvil.Home, "spam.json");
        File.WriteAllText(path, $$"""
            { "data": {{JsonSerializer.Serialize(AnvilProcess.SpamSample)}}, "text": {{text}}, "epochs": {{epochs}},
              "batch_size": 16, "optimizer": "adam", "learning_rate": 0.005, "validation_fraction": 0.2 }
            """);
        return path;
    }

    [Fact]
    public void SpamSampleRecordsAccuracyAucF1AndTheBaselineAndEvaluateReplaysTheSameIds()
    {
        using var anvil = new AnvilProcess();

        var (exit, stdout, stderr) = anvil.Run("train", "--recipe", WriteRecipe(anvil, epochs: 2), "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("training the text-gru model", stderr);
        var line = LastJsonLine(stdout);
        foreach (var name in new[] { "test_accuracy", "test_auc", "test_f1", "baseline_test_auc", "mcnemar_p" })
            Assert.InRange(line.GetProperty(name).GetDouble(), 0.0, 1.0);
        var artifacts = line.GetProperty("artifacts_dir").GetString()!;
        Assert.StartsWith("[PAD]\n[UNK]\n", File.ReadAllText(Path.Combine(artifacts, "vocab.txt")), StringComparison.Ordinal);
        Assert.Contains("\"max_length\": 64", File.ReadAllText(Path.Combine(artifacts, "spec.json")));
        Assert.True(File.Exists(Path.Combine(artifacts, "roc_curves.png")));
        var runId = line.GetProperty("run_id").GetString()!;
        var recorded = JsonDocument.Parse(anvil.Run("runs", "show", runId, "--json").Stdout).RootElement.GetProperty("metrics");
        Assert.Equal(line.GetProperty("baseline_test_auc").GetDouble(), recorded.GetProperty("baseline_test_auc").GetDouble(), 12);
        Assert.Contains("baseline_test_auc", File.ReadAllText(Path.Combine(artifacts, "metrics.json")));

        var evaluate = anvil.Run("evaluate", runId, "--json");

        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        var evaluated = LastJsonLine(evaluate.Stdout);
        Assert.Equal(line.GetProperty("test_accuracy").GetDouble(), evaluated.GetProperty("test_accuracy").GetDouble(), 12);
        Assert.Equal(line.GetProperty("test_auc").GetDouble(), evaluated.GetProperty("test_auc").GetDouble(), 12);
    }

    [Fact]
    public void EvaluateRefusesATextRunWhoseVocabularyIsGoneInsteadOfRefitting()
    {
        using var anvil = new AnvilProcess();
        var line = LastJsonLine(anvil.Run("train", "--recipe", WriteRecipe(anvil, epochs: 1), "--json").Stdout);
        File.Delete(Path.Combine(line.GetProperty("artifacts_dir").GetString()!, "vocab.txt"));

        BadInputTests.AssertOneClearError(anvil.Run("evaluate", line.GetProperty("run_id").GetString()!), "vocab.txt", "is missing");
    }

    [Fact]
    public void KilledTextRunResumesWithItsSavedVocabulary()
    {
        using var anvil = new AnvilProcess();
        var runId = anvil.KillAfter("Epoch 1/4", "train", "--recipe", WriteRecipe(anvil, epochs: 4)); // kill -9 once the first epoch (and its checkpoint) is done
        Assert.NotNull(runId);
        var vocabulary = Path.Combine(anvil.Home, "runs", runId!, "artifacts", "vocab.txt");
        var before = File.ReadAllBytes(vocabulary);

        var (exit, stdout, stderr) = anvil.Run("train", "--resume", runId!, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("resuming from its last checkpoint", stderr);
        var json = LastJsonLine(stdout);
        Assert.Equal(4, json.GetProperty("epochs").GetInt32());
        Assert.InRange(json.GetProperty("baseline_test_auc").GetDouble(), 0.0, 1.0);
        Assert.Equal(before, File.ReadAllBytes(vocabulary));
    }

    [Fact]
    public void MissingSpamCorpusSaysHowToFetchItAndRecordsNoRun()
    {
        using var anvil = new AnvilProcess();

        BadInputTests.AssertOneClearError(anvil.Run("train", "--data", "spam-assassin", "--data-dir", Path.Combine(anvil.Home, "nowhere")),
            "SpamAssassin corpus was not found", "samples/spam/fetch.sh");
        Assert.Equal("[]", anvil.Run("runs", "list", "--json").Stdout.Trim());
    }

    [Fact]
    public void EmptySpamCorpusFolderSaysSoAndRecordsNoRun()
    {
        using var anvil = new AnvilProcess();
        var corpus = Path.Combine(anvil.Home, "empty-corpus");
        Directory.CreateDirectory(Path.Combine(corpus, "easy-ham-1"));
        Directory.CreateDirectory(Path.Combine(corpus, "spam-1"));

        BadInputTests.AssertOneClearError(anvil.Run("train", "--data", corpus), "holds no e-mails");
        Assert.Equal("[]", anvil.Run("runs", "list", "--json").Stdout.Trim());
    }

    [Fact]
    public void MaxLengthOutOfRangeNamesTheFieldAndRecordsNoRun()
    {
        using var anvil = new AnvilProcess();

        BadInputTests.AssertOneClearError(anvil.Run("train", "--recipe", WriteRecipe(anvil, 1, """{ "max_length": 100000 }""")),
            "text.max_length", "65,536");
        Assert.Equal("[]", anvil.Run("runs", "list", "--json").Stdout.Trim());
    }
}
