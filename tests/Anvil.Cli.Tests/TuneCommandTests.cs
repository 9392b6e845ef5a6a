using System.Text.Json;
using Anvil.Cli.Tests.Support;
using Anvil.Registry.Encryption;
using Anvil.Registry.Storage;
using Anvil.Registry.Tuning;
using Microsoft.Data.Sqlite;

namespace Anvil.Cli.Tests;

/// <summary>`anvil tune` end to end on the 512-image Fashion-MNIST sample: real processes, the real registry, real training.</summary>
public class TuneCommandTests
{
    internal static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    private static string WriteStudy(AnvilProcess anvil, string name, int epochs, string pruner, int limit = 200)
    {
        var path = Path.Combine(anvil.Home, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}", "direction": "maximize", "metric": "val_accuracy",
              "sampler": "tpe", "startup_trials": 2, "seed": 3, {{pruner}}
              "limit": {{limit}},
              "recipe": { "model": "mlp", "epochs": {{epochs}}, "batch_size": 32, "optimizer": "adam", "validation_fraction": 0.2 },
              "space": {
                "learning_rate": { "type": "float", "low": 1e-4, "high": 1e-1, "log": true },
                "batch_size": { "type": "categorical", "choices": [16, 32] }
              }
            }
            """);
        return path;
    }

    internal static List<StoredTrial> Trials(AnvilProcess anvil, string study)
    {
        var sqlite = Path.Combine(anvil.Home, "registry.db");
        using var database = RegistryDatabase.Open(new RegistryOptions(sqlite, anvil.DatabaseUrl) { KeyEncryptionKey = () => anvil.Kek }, TimeProvider.System);
        var id = new StudyStore(database, TimeProvider.System).Get(study).Id;
        return [.. new TrialStore(database, TimeProvider.System, TimeSpan.FromMinutes(1)).Trials(id)];
    }

    [Fact]
    public void ATinyStudyRunsItsTrialsReportsTheBestAndShowDrawsItsPlots()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "tiny", epochs: 2, pruner: "\"pruner\": { \"type\": \"median\", \"startup_trials\": 1 },");

        var (exit, stdout, stderr) = anvil.Run("tune", "--study", study, "--trials", "4", "--data-dir", data, "--json");

        Assert.True(exit == 0, stderr);
        var json = LastJsonLine(stdout);
        Assert.Equal(4, json.GetProperty("trials_complete").GetInt32() + json.GetProperty("trials_pruned").GetInt32());
        Assert.InRange(json.GetProperty("best_value").GetDouble(), 0.0, 1.0);
        Assert.True(json.GetProperty("train_seconds_total").GetDouble() > 0);
        var trials = Trials(anvil, "tiny");
        var best = trials.Single(t => t.Number == json.GetProperty("best_trial").GetInt32());
        Assert.Equal(best.RunId, json.GetProperty("best_run_id").GetString());
        Assert.Equal(trials.Where(t => t.Status == TrialStatus.Complete).Max(t => t.Value), best.Value);
        Assert.All(trials.Where(t => t.Status == TrialStatus.Complete), t => Assert.Equal(t.Value, t.Intermediate[2])); // the last epoch's validation figure
        var run = JsonDocument.Parse(anvil.Run("runs", "show", best.RunId!, "--json").Stdout).RootElement;
        Assert.Equal(best.Value!.Value, run.GetProperty("epochs")[1].GetProperty("metrics").GetProperty("val_accuracy").GetDouble(), 9);

        var show = anvil.Run("tune", "show", "tiny");

        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains($"Best: trial {best.Number}", show.Stdout);
        foreach (var plot in new[] { "optimization_history.png", "intermediate_values.png" })
            Assert.True(File.Exists(Path.Combine(anvil.Home, "studies", "tiny", plot)), plot);
    }

    [Fact]
    public void TwoWorkerProcessesShareTheStudyAndNeverTrainTheSameTrial()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "pair", epochs: 1, pruner: "");

        var (exit, stdout, stderr) = anvil.Run("tune", "--study", study, "--trials", "6", "--workers", "2", "--data-dir", data, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(6, LastJsonLine(stdout).GetProperty("trials_complete").GetInt32());
        var trials = Trials(anvil, "pair");
        Assert.Equal(Enumerable.Range(0, 6), trials.Select(t => t.Number));
        Assert.Equal(6, trials.Select(t => t.RunId).Distinct().Count());
        // Every run belongs to exactly one trial: no trial was trained twice.
        var runs = JsonDocument.Parse(anvil.Run("runs", "list", "--json").Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(trials.Select(t => t.RunId).Order(), runs.Order());
    }

    [Fact]
    public async Task TwoTuneCommandsSharingPostgreSqlSplitOneStudyBetweenThem()
    {
        using var anvil = new AnvilProcess { DatabaseUrl = TestPostgres.CreateDatabase() };
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "shared", epochs: 1, pruner: "");

        // As on two machines: two independent commands, one study, one database.
        using var first = anvil.Start("tune", "--study", study, "--trials", "6", "--data-dir", data);
        using var second = anvil.Start("tune", "--study", study, "--trials", "6", "--data-dir", data);
        var outputs = new[] { first, second }.Select(p => p.StandardOutput.ReadToEndAsync()).ToArray();
        var errors = await Task.WhenAll(new[] { first, second }.Select(p => p.StandardError.ReadToEndAsync()));
        await Task.WhenAll(outputs);
        await first.WaitForExitAsync();
        await second.WaitForExitAsync();

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, errors[0] + errors[1]);
        var trials = Trials(anvil, "shared");
        Assert.Equal(Enumerable.Range(0, 6), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialStatus.Complete, t.Status));
        Assert.Equal(6, trials.Select(t => t.RunId).Distinct().Count());
        var trained = errors.Select(e => e.Split('\n').Count(l => l.StartsWith("Trial ", StringComparison.Ordinal) && l.Contains(" complete", StringComparison.Ordinal))).ToArray();
        Assert.Equal(6, trained.Sum()); // each trial was trained by exactly one of the two
    }

    [Fact]
    public void AWorkerKilledMidTrialLosesItsLeaseAndTheNextWorkerResumesTheTrialFromItsCheckpoint()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "crash", epochs: 30, pruner: "", limit: 512);
        using (var doomed = anvil.Start("tune", "--study", study, "--trials", "1", "--data-dir", data))
        {
            // Wait for the first reported epoch (its checkpoint is written before it is reported), then SIGKILL.
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!File.Exists(Path.Combine(anvil.Home, "registry.db")) || !TryTrials(anvil, "crash").Any(t => t.Intermediate.Count > 0))
            {
                Assert.True(DateTime.UtcNow < deadline && !doomed.HasExited, "the first worker never reported an epoch");
                Thread.Sleep(50);
            }
            doomed.Kill();
            doomed.WaitForExit();
        }
        var killed = Assert.Single(Trials(anvil, "crash"));
        Assert.Equal(TrialStatus.Running, killed.Status);
        Assert.InRange(killed.Intermediate.Count, 1, 29);
        // The lease lapses: moved into the past in the database rather than waited for.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(anvil.Home, "registry.db")}"))
        {
            connection.Open();
            using var lapse = connection.CreateCommand();
            lapse.CommandText = "UPDATE trials SET lease_expires_at = '2000-01-01T00:00:00.0000000Z'";
            Assert.Equal(1, lapse.ExecuteNonQuery());
        }

        var (exit, stdout, stderr) = anvil.Run("tune", "--study", study, "--trials", "1", "--data-dir", data, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("Trial 0 (taken over from a lapsed lease)", stderr);
        Assert.Contains("resuming from its last checkpoint", stderr);
        var resumed = Assert.Single(Trials(anvil, "crash"));
        Assert.Equal((TrialStatus.Complete, killed.RunId, 30), (resumed.Status, resumed.RunId, resumed.Intermediate.Count));
        Assert.NotEqual(killed.Worker, resumed.Worker);
        Assert.Equal(killed.RunId, LastJsonLine(stdout).GetProperty("best_run_id").GetString());
    }

    [Fact]
    public void ATrialWhoseWorkerDiedBeforeItsRunStartedIsTrainedFromTheStartByTheNext()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "early", epochs: 1, pruner: "");
        using (var database = RegistryDatabase.Open(new RegistryOptions(Path.Combine(anvil.Home, "registry.db")) { KeyEncryptionKey = () => anvil.Kek }, TimeProvider.System))
        {
            var id = new StudyStore(database, TimeProvider.System).Open("early", Training.Tuning.StudyDefinition.Load(study).ToJson()).Id;
            // A lease of one tick: lapsed by the time the next worker asks.
            new TrialStore(database, TimeProvider.System, TimeSpan.FromTicks(1))
                .Lease(id, "dead", 1, (_, _) => new Dictionary<string, double> { ["learning_rate"] = 0.01, ["batch_size"] = 1 });
        }

        var (exit, _, stderr) = anvil.Run("tune", "--study", study, "--trials", "1", "--data-dir", data);

        Assert.True(exit == 0, stderr);
        Assert.Contains("Trial 0 (taken over from a lapsed lease): batch_size=32 learning_rate=0.01", stderr);
        var trial = Assert.Single(Trials(anvil, "early"));
        Assert.Equal(TrialStatus.Complete, trial.Status);
        Assert.NotNull(trial.RunId);
        Assert.NotEqual("dead", trial.Worker);
    }

    // The database may be mid-migration or the study not yet created while the first worker starts.
    private static List<StoredTrial> TryTrials(AnvilProcess anvil, string study)
    {
        try
        {
            return Trials(anvil, study);
        }
        catch (Exception e) when (e is Registry.RegistryException or SqliteException)
        {
            return [];
        }
    }

    [Fact]
    public void TheBestTrialIsRegisteredAsAModelVersion()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var study = WriteStudy(anvil, "reg", epochs: 1, pruner: "");
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);

        var (exit, stdout, stderr) = anvil.Run("tune", "--study", study, "--trials", "2", "--data-dir", data, "--register", "tuned", "--org", "acme", "--json");

        Assert.True(exit == 0, stderr);
        var best = LastJsonLine(stdout).GetProperty("best_run_id").GetString();
        Assert.Contains("Registered tuned version 1 for 'acme'", stdout);
        var versions = JsonDocument.Parse(anvil.Run("models", "show", "tuned", "--org", "acme", "--json").Stdout).RootElement.GetProperty("versions");
        Assert.Equal(best, Assert.Single(versions.EnumerateArray()).GetProperty("run_id").GetString());
    }

    [Theory]
    [InlineData(new[] { "tune", "--trials", "2" }, "--study is missing")]
    [InlineData(new[] { "tune", "--study", "missing.json", "--trials", "2" }, "Study file 'missing.json' does not exist")]
    [InlineData(new[] { "tune", "--study", "STUDY", "--trials", "2", "--register", "m" }, "--register needs --org")]
    [InlineData(new[] { "tune", "--study", "STUDY", "--trials", "2", "--register", "m", "--org", "nobody" }, "nobody")]
    [InlineData(new[] { "tune", "--study", "STUDY", "--trials", "2", "--register-trial", "1" }, "--register-trial needs --register NAME --org ORG")]
    [InlineData(new[] { "tune", "--study", "BAD", "--trials", "2" }, "space.learning_rate: a log range needs low > 0, got 0")]
    [InlineData(new[] { "tune", "show", "nothing" }, "No study is named 'nothing'")]
    public void BadInputIsOneLineSayingWhatToFix(string[] arguments, string expected)
    {
        using var anvil = new AnvilProcess();
        var study = WriteStudy(anvil, "s", epochs: 1, pruner: "");
        var bad = Path.Combine(anvil.Home, "bad.json");
        File.WriteAllText(bad, File.ReadAllText(study).Replace("\"low\": 1e-4", "\"low\": 0", StringComparison.Ordinal));

        var (exit, _, stderr) = anvil.Run(arguments.Select(a => a switch { "STUDY" => study, "BAD" => bad, _ => a }).ToArray());

        Assert.Equal(1, exit);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }
}
