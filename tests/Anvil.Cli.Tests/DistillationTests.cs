using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>A student trained from a teacher run's soft targets: the recipe's "distill" field and train --teacher.</summary>
public class DistillationTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    private static string TrainTeacher(AnvilProcess anvil, string data)
    {
        var teacher = anvil.Run("train", "--data-dir", data, "--model", "seed-cnn", "--epochs", "1", "--limit", "256", "--json");
        Assert.True(teacher.ExitCode == 0, teacher.Stderr);
        return LastJsonLine(teacher.Stdout).GetProperty("run_id").GetString()!;
    }

    private static string WriteRecipe(AnvilProcess anvil, string distill)
    {
        var path = Path.Combine(anvil.Home, "student.json");
        File.WriteAllText(path, $$"""{"model": "mlp", "epochs": 1, "validation_fraction": 0, "distill": {{distill}}}""");
        return path;
    }

    [Fact]
    public void StudentTrainsFromATeacherRunAndRecordsItsLineage()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var teacherId = TrainTeacher(anvil, data);
        var recipe = WriteRecipe(anvil, $$"""{"teacher": "{{teacherId[..10]}}", "temperature": 2, "weight": 0.5}""");

        var student = anvil.Run("train", "--data-dir", data, "--recipe", recipe, "--limit", "256", "--json");
        var viaOption = anvil.Run("train", "--data-dir", data, "--model", "mlp", "--epochs", "1", "--limit", "256", "--teacher", teacherId[..10]);

        Assert.True(student.ExitCode == 0, student.Stderr);
        Assert.Contains($"distilled from teacher run {teacherId} (seed-cnn, temperature 2, weight 0.5)", student.Stderr);
        var result = LastJsonLine(student.Stdout);
        Assert.InRange(result.GetProperty("test_accuracy").GetDouble(), 0.0, 1.0);
        var shown = JsonDocument.Parse(anvil.Run("runs", "show", result.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement;
        Assert.Equal(teacherId, shown.GetProperty("parameters").GetProperty("teacher").GetString());
        var saved = File.ReadAllText(Path.Combine(result.GetProperty("artifacts_dir").GetString()!, "recipe.json"));
        Assert.Contains($"\"teacher\": \"{teacherId}\"", saved); // the full id, not the prefix given
        Assert.True(viaOption.ExitCode == 0, viaOption.Stderr);
        Assert.Contains($"distilled from teacher run {teacherId} (seed-cnn, temperature 4, weight 0.7)", viaOption.Stderr);
    }

    [Fact]
    public void BadTeachersAndFieldsGiveOneClearError()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var regressor = anvil.Run("train", "--recipe", SeriesForecastTests.WriteRecipe(anvil, epochs: 1), "--json");
        Assert.True(regressor.ExitCode == 0, regressor.Stderr);
        var regressorId = LastJsonLine(regressor.Stdout).GetProperty("run_id").GetString()!;
        var csv = Path.Combine(anvil.Home, "tiny.csv");
        File.WriteAllText(csv, "f1,f2,y\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"{i % 2},{i % 3},{(i % 2 == 0 ? "a" : "b")}")) + "\n");
        var features = anvil.Run("train", "--data", csv, "--label-column", "y", "--epochs", "1", "--json");
        Assert.True(features.ExitCode == 0, features.Stderr);
        var featuresId = LastJsonLine(features.Stdout).GetProperty("run_id").GetString()!;

        string[] student = ["train", "--data-dir", data, "--model", "mlp", "--epochs", "1", "--limit", "64"];
        BadInputTests.AssertOneClearError(anvil.Run([.. student, "--teacher", "ffffffff"]), "ffffffff");
        BadInputTests.AssertOneClearError(anvil.Run([.. student, "--teacher", regressorId]), $"Teacher run {regressorId} is a regressor");
        BadInputTests.AssertOneClearError(anvil.Run([.. student, "--teacher", featuresId]), $"Teacher run {featuresId} takes inputs of shape [2] but the data's samples are [1, 28, 28]");
        BadInputTests.AssertOneClearError(anvil.Run([.. student, "--recipe", WriteRecipe(anvil, """{"teacher": "ffff", "temperature": 0}""")]), "distill.temperature must be positive");
        BadInputTests.AssertOneClearError(anvil.Run([.. student, "--recipe", WriteRecipe(anvil, """{"teacher": "ffff", "weight": 2}""")]), "distill.weight must be in [0, 1]");
        BadInputTests.AssertOneClearError(anvil.Run("cv", "--data-dir", data, "--folds", "2", "--epochs", "1", "--limit", "64", "--teacher", featuresId), "Cross-validation does not distill");
    }
}
