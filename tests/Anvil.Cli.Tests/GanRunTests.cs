using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>A DCGAN trained from a recipe's "gan" section end to end: figures, sample grids, both networks checkpointed, a registered generator.</summary>
public class GanRunTests
{
    private const string Adam = """{"learning_rate": 0.0002, "beta1": 0.5, "beta2": 0.999}""";

    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    private static string WriteRecipe(AnvilProcess anvil, string gan)
    {
        var path = Path.Combine(anvil.Home, "gan.json");
        File.WriteAllText(path, $$"""{"epochs": 2, "batch_size": 32, "validation_fraction": 0, "seed": 1, "gan": {{gan}}}""");
        return path;
    }

    [Fact]
    public void ATinyGanTrainsScoresEveryEpochAndRegistersItsGenerator()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var recipe = WriteRecipe(anvil, $$"""{"noise": 16, "train_images": 128, "judge_epochs": 1, "samples": 100, "generator": {{Adam}}, "discriminator": {{Adam}}}""");

        var train = anvil.Run("train", "--data-dir", data, "--recipe", recipe, "--json");

        Assert.True(train.ExitCode == 0, train.Stderr);
        var result = LastJsonLine(train.Stdout);
        Assert.True(result.GetProperty("frechet_distance").GetDouble() >= 0);
        Assert.True(result.GetProperty("frechet_distance_epoch1").GetDouble() >= 0);
        Assert.InRange(result.GetProperty("class_coverage").GetDouble(), 0.0, 1.0);
        Assert.Equal(2, result.GetProperty("epochs").GetInt32());
        var artifacts = result.GetProperty("artifacts_dir").GetString()!;
        foreach (var file in new[] { "samples/epoch_01.png", "samples/epoch_02.png", "frechet_distance.png", "judge.weights", "checkpoints/last/discriminator.weights", "checkpoints/last/discriminator_optimizer.state", "checkpoints/last/optimizer.state" })
            Assert.True(File.Exists(Path.Combine(artifacts, file)), $"{file} is missing");
        Assert.Contains("frechet_distance", train.Stderr);

        var runId = result.GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        var register = anvil.Run("register", runId[..10], "--name", "shoes", "--org", "acme");
        Assert.True(register.ExitCode == 0, register.Stderr);
        var shown = JsonDocument.Parse(anvil.Run("models", "show", "shoes", "--org", "acme", "--json").Stdout).RootElement;
        Assert.Equal(runId, shown.GetProperty("versions")[0].GetProperty("run_id").GetString());
    }

    [Fact]
    public void AGanKilledAfterItsFirstEpochResumesBothNetworksToTheEnd()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var recipe = WriteRecipe(anvil, $$"""{"noise": 16, "train_images": 128, "judge_epochs": 1, "samples": 100, "generator": {{Adam}}, "discriminator": {{Adam}}}""");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("\"epochs\": 2", "\"epochs\": 4", StringComparison.Ordinal));
        var runId = anvil.KillAfter("Epoch 1/4", "train", "--data-dir", data, "--recipe", recipe); // kill -9 once the first epoch (and its checkpoint) is done

        Assert.NotNull(runId);
        var resumed = anvil.Run("train", "--resume", runId!, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resuming from its last checkpoint", resumed.Stderr);
        Assert.DoesNotContain("Epoch 1/4", resumed.Stderr);
        Assert.Contains("Epoch 4/4", resumed.Stderr);
        var result = LastJsonLine(resumed.Stdout);
        Assert.Equal(4, result.GetProperty("epochs").GetInt32());
        Assert.True(result.GetProperty("frechet_distance").GetDouble() >= 0);
        Assert.True(result.GetProperty("frechet_distance_epoch1").GetDouble() >= 0); // epoch 1 was scored before the kill
        var show = JsonDocument.Parse(anvil.Run("runs", "show", runId!, "--json").Stdout).RootElement;
        Assert.Equal(4, show.GetProperty("epochs").GetArrayLength());
        Assert.Equal("finished", show.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("generator")]
    [InlineData("discriminator")]
    public void AGanRecipeMissingOneOptimiserGivesOneClearError(string missing)
    {
        using var anvil = new AnvilProcess();
        var present = missing == "generator" ? "discriminator" : "generator";
        var recipe = WriteRecipe(anvil, $$"""{"{{present}}": {{Adam}}}""");

        BadInputTests.AssertOneClearError(anvil.Run("train", "--data-dir", anvil.SampleFashionMnist(), "--recipe", recipe), $"gan.{missing} is missing", "needs both optimisers");
    }
}
