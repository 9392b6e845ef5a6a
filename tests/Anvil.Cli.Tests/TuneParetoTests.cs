using System.Text.Json;
using System.Text.Json.Nodes;
using Anvil.Cli.Tests.Support;
using Anvil.Registry.Tuning;

namespace Anvil.Cli.Tests;

/// <summary>
/// A multi-objective `anvil tune` end to end on the 512-image Fashion-MNIST sample: validation accuracy against ONNX Runtime
/// latency over the width of an MLP's first hidden layer (a spec field), real processes, registry and training.
/// </summary>
public class TuneParetoTests
{
    private static string WriteStudy(AnvilProcess anvil, string name, string dropout = "", string second = "latency_ms", string sampler = "tpe")
    {
        var path = Path.Combine(anvil.Home, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}",
              "objectives": [{ "metric": "val_accuracy", "direction": "maximize" }, { "metric": "{{second}}", "direction": "minimize" }],
              "sampler": "{{sampler}}", {{(sampler == "tpe" ? "\"startup_trials\": 2," : "")}} "seed": 1, "limit": 200,
              "recipe": { "model": "mlp", "epochs": 1, "batch_size": 32, "optimizer": "adam", "validation_fraction": 0.2 },
              "space": {
                {{dropout}}
                "spec.layers[1].units": { "type": "int", "low": 4, "high": 512, "log": true }
              }
            }
            """);
        return path;
    }

    [Fact]
    public void ATwoObjectiveStudyTrainsEachTrialsWidthAndReportsItsParetoFront()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "front");

        var (exit, stdout, stderr) = anvil.Run("tune", "--study", study, "--trials", "4", "--data-dir", data, "--json");

        Assert.True(exit == 0, stderr);
        var json = TuneCommandTests.LastJsonLine(stdout);
        Assert.Equal(4, json.GetProperty("trials_complete").GetInt32());
        Assert.True(json.GetProperty("train_seconds_total").GetDouble() > 0);
        Assert.False(json.TryGetProperty("best_value", out _));
        var trials = TuneCommandTests.Trials(anvil, "front");
        Assert.All(trials, t => Assert.Equal(2, t.Values!.Count));
        foreach (var trial in trials)
        {
            // The trial's run trained the width it was given: its recorded spec and its first hidden layer's weights.
            var run = JsonDocument.Parse(anvil.Run("runs", "show", trial.RunId!, "--json").Stdout).RootElement;
            var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.GetProperty("artifacts_directory").GetString()!, "spec.json"))).RootElement;
            Assert.Equal((int)trial.Parameters["spec.layers[1].units"], spec.GetProperty("layers")[1].GetProperty("units").GetInt32());
            Assert.Equal(trial.Values![0], trial.Value);
            Assert.InRange(trial.Values[0], 0.0, 1.0);
            Assert.True(trial.Values[1] > 0, "latency_ms");
        }
        // The front, recomputed from the stored values: no trial on it is dominated by another, every trial off it is.
        static bool Dominates(StoredTrial a, StoredTrial b) =>
            a.Values![0] >= b.Values![0] && a.Values[1] <= b.Values[1] && (a.Values[0] > b.Values[0] || a.Values[1] < b.Values[1]);
        var expected = trials.Where(t => !trials.Any(o => Dominates(o, t))).Select(t => t.Number).ToList();
        var front = json.GetProperty("pareto_front").EnumerateArray().ToList();
        Assert.Equal(expected, front.Select(p => p.GetProperty("trial").GetInt32()));
        Assert.All(front, p => Assert.Equal(trials[p.GetProperty("trial").GetInt32()].RunId, p.GetProperty("run_id").GetString()));
        Assert.Contains("Pareto front:", stdout);

        var show = anvil.Run("tune", "show", "front");

        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains($"Pareto front: {expected.Count} of 4 complete trials", show.Stdout);
        Assert.True(new FileInfo(Path.Combine(anvil.Home, "studies", "front", "pareto_front.png")).Length > 0);

        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        var refused = anvil.Run("tune", "--study", study, "--trials", "4", "--data-dir", data, "--register", "m", "--org", "acme");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("pick one from its Pareto front with --register-trial N", refused.Stderr);
        var registered = anvil.Run("tune", "--study", study, "--trials", "4", "--data-dir", data, "--register", "narrow", "--org", "acme", "--register-trial", $"{expected[0]}");
        Assert.True(registered.ExitCode == 0, registered.Stderr);
        Assert.Contains($"Registered narrow version 1 for 'acme' from trial {expected[0]}", registered.Stdout);
    }

    [Fact]
    public void ABytesObjectiveIsTheSizeOfTheOnnxGraphTheTrialsModelIsExportedAs()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "size", second: "bytes");
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);

        var (exit, _, stderr) = anvil.Run("tune", "--study", study, "--trials", "2", "--data-dir", data, "--register", "sized", "--org", "acme", "--register-trial", "1");

        Assert.True(exit == 0, stderr);
        var trials = TuneCommandTests.Trials(anvil, "size");
        var bundle = Path.Combine(anvil.Home, "bundle");
        var exported = anvil.Run("export", "sized", "--org", "acme", "--out", bundle);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.Equal(new FileInfo(Path.Combine(bundle, "model.onnx")).Length, trials[1].Values![1]);
        // A wider first hidden layer has more weights, so a larger graph.
        var (narrow, wide) = trials[0].Parameters["spec.layers[1].units"] < trials[1].Parameters["spec.layers[1].units"] ? (trials[0], trials[1]) : (trials[1], trials[0]);
        Assert.True(narrow.Values![1] < wide.Values![1] || narrow.Parameters["spec.layers[1].units"] == wide.Parameters["spec.layers[1].units"]);
    }

    // A two-objective study of a recipe file (with its data), the first objective a validation metric, the second latency_ms.
    private static string WriteStudy(AnvilProcess anvil, string name, string recipeFile, string metric, string direction, string parameter, JsonObject range)
    {
        var path = Path.Combine(anvil.Home, $"{name}.json");
        File.WriteAllText(path, new JsonObject
        {
            ["name"] = name, ["sampler"] = "random", ["seed"] = 1,
            ["objectives"] = new JsonArray(new JsonObject { ["metric"] = metric, ["direction"] = direction }, new JsonObject { ["metric"] = "latency_ms", ["direction"] = "minimize" }),
            ["recipe"] = JsonNode.Parse(File.ReadAllText(recipeFile)),
            ["space"] = new JsonObject { [parameter] = range },
        }.ToJsonString());
        return path;
    }

    // The forecasting recipe of SeriesForecastTests with its model named, so the study can check a spec field against it.
    private static string SeriesGruRecipe(AnvilProcess anvil)
    {
        var path = SeriesForecastTests.WriteRecipe(anvil, epochs: 1);
        var recipe = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        recipe["model"] = "series-gru";
        File.WriteAllText(path, recipe.ToJsonString());
        return path;
    }

    [Theory]
    [InlineData("series")]
    [InlineData("text")]
    public void ASeriesOrTextModelIsTunedAgainstTheLatencyOfItsGraph(string kind)
    {
        using var anvil = new AnvilProcess();
        var study = kind == "series"
            ? WriteStudy(anvil, kind, SeriesGruRecipe(anvil), "val_mae", "minimize",
                "spec.layers[0].units", new JsonObject { ["type"] = "int", ["low"] = 4, ["high"] = 64, ["log"] = true })
            : WriteStudy(anvil, kind, TextRunTests.WriteRecipe(anvil, epochs: 1), "val_accuracy", "maximize",
                "learning_rate", new JsonObject { ["type"] = "float", ["low"] = 1e-3, ["high"] = 1e-2, ["log"] = true });

        var (exit, stdout, stderr) = anvil.Run("tune", "--study", study, "--trials", "2", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(2, TuneCommandTests.LastJsonLine(stdout).GetProperty("trials_complete").GetInt32());
        Assert.All(TuneCommandTests.Trials(anvil, kind), t =>
        {
            Assert.True(t.Values![0] > 0, "val_mae in degrees, or val_accuracy");
            Assert.True(t.Values[1] > 0, "latency_ms of the graph on a window or on token ids");
        });
    }

    [Fact]
    public void ADropoutRateTheLayerRefusesFailsTheTrialWithTheSpecsMessageOnOneLine()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "bad-rate", """ "spec.layers[2].rate": { "type": "categorical", "choices": [1.5] }, """);

        var (exit, _, stderr) = anvil.Run("tune", "--study", study, "--trials", "1", "--data-dir", data);

        Assert.NotEqual(0, exit);
        var error = stderr.TrimEnd().Split('\n')[^1];
        Assert.Contains("No trial of study 'bad-rate' completed; the last refused was trial 0 (", error);
        Assert.Contains("spec.layers[2].rate = 1.5", error);
        Assert.Contains("\"rate\" must be in [0, 1), got 1.5", error);
        Assert.DoesNotContain("   at ", stderr);

        // Every trial refused: the worker stops after three in a row rather than spending the whole budget on them.
        var again = anvil.Run("tune", "--study", study, "--trials", "10", "--data-dir", data);

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("3 trials in a row were refused, so the study stops; the last, trial 3 (", again.Stderr.TrimEnd().Split('\n')[^1]);
        Assert.Equal(4, TuneCommandTests.Trials(anvil, "bad-rate").Count(t => t.Status == TrialStatus.Failed));
        Assert.Equal(4, TuneCommandTests.Trials(anvil, "bad-rate").Count);
    }

    [Fact]
    public void ARefusedCombinationFailsItsTrialAndTheStudyGoesOn()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "some-bad", """ "spec.layers[2].rate": { "type": "categorical", "choices": [0.2, 1.5] }, """, sampler: "random");

        var (exit, stdout, stderr) = anvil.Run("tune", "--study", study, "--trials", "6", "--data-dir", data, "--json");

        Assert.True(exit == 0, stderr);
        var trials = TuneCommandTests.Trials(anvil, "some-bad");
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.Equal(t.Parameters["spec.layers[2].rate"] == 1 ? TrialStatus.Failed : TrialStatus.Complete, t.Status)); // a categorical is stored as its choice's index: 1 is 1.5
        var failed = trials.Count(t => t.Status == TrialStatus.Failed);
        Assert.InRange(failed, 1, 5); // both kinds drawn (the random sampler's draws depend on the seed and trial number alone)
        var json = TuneCommandTests.LastJsonLine(stdout);
        Assert.Equal(6 - failed, json.GetProperty("trials_complete").GetInt32());
        var first = trials.First(t => t.Status == TrialStatus.Failed).Number;
        Assert.Contains(stderr.Split('\n'), l => l.StartsWith($"Trial {first} failed: ", StringComparison.Ordinal) && l.Contains("\"rate\" must be in [0, 1), got 1.5", StringComparison.Ordinal));
    }
}
