using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>A spec file passed with --model states only its architecture; the run's artifacts hold the complete spec.</summary>
public class ModelSpecFileTests
{
    [Fact]
    public void TrainWithALayersOnlySpecFileTakesShapeAndClassesFromTheDataAndSavesTheCompleteSpec()
    {
        using var anvil = new AnvilProcess();
        var csv = Path.Combine(anvil.Home, "tiny.csv");
        File.WriteAllText(csv, "f1,f2,y\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"{i % 2},{i % 5},{(i % 2 == 0 ? "cat" : "dog")}")) + "\n");
        var spec = Path.Combine(anvil.Home, "wide-mlp.json");
        File.WriteAllText(spec, """{"layers": [{"type": "dense", "units": 16, "activation": "relu"}, {"type": "dense"}]}""");

        var (exit, stdout, stderr) = anvil.Run("train", "--data", csv, "--label-column", "y", "--model", spec, "--epochs", "1", "--json");

        Assert.True(exit == 0, stderr);
        var artifacts = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("artifacts_dir").GetString()!;
        var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(artifacts, "spec.json"))).RootElement;
        Assert.Equal("wide-mlp", saved.GetProperty("name").GetString());
        Assert.Equal([2], saved.GetProperty("input_shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(["cat", "dog"], saved.GetProperty("class_names").EnumerateArray().Select(c => c.GetString()));
    }
}
