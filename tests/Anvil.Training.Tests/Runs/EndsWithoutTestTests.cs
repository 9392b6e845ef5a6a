using Anvil.Training.Data;
using Anvil.Training.Runs;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;

namespace Anvil.Training.Tests.Runs;

/// <summary>A run a callback ends without its test (a pruned tuning trial) records what training cost and never touches the test set.</summary>
public class EndsWithoutTestTests
{
    /// <summary>Keeps the run's record in memory: what the pipeline logs is what the test reads.</summary>
    private sealed class MemoryRecorder(string root) : IRunRecorder
    {
        public Dictionary<string, double> Metrics { get; } = [];

        public RunOutcome? Outcome { get; private set; }

        public RecordedRun CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash)
        {
            var directory = Directory.CreateDirectory(Path.Combine(root, "run", "artifacts")).FullName;
            return new RecordedRun("run", directory, parameters, Finished: false);
        }

        public void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics) { }

        public void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics)
        {
            foreach (var (key, value) in metrics)
                Metrics[key] = value;
        }

        public void Finish(string runId, RunOutcome outcome) => Outcome = outcome;

        public void Resume(string runId) => throw new NotSupportedException();

        public RecordedRun GetRun(string idOrPrefix) => throw new NotSupportedException();
    }

    /// <summary>Stops after the first epoch and asks for no test, as a pruner does.</summary>
    private sealed class PrunesAtOnce : Callback, IEndsWithoutTest
    {
        public bool EndsWithoutTest { get; private set; }

        public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
        {
            EndsWithoutTest = true;
            context.StopTraining = true;
            context.StopReason = "pruned at epoch 1";
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APrunedRunHasTrainingFiguresButNoTestFigures(bool pruned)
    {
        using var temp = new TempDirectory();
        var recorder = new MemoryRecorder(temp.Path);
        var callbacks = pruned ? new List<Callback> { new PrunesAtOnce() } : [];
        var pipeline = new RunPipeline(recorder, TextWriter.Null, interactive: false, callbacks);
        var request = new RunRequest(new DataSource(TestFiles.Csv("train.csv"), Test: TestFiles.Csv("test.csv"), LabelColumn: "species"),
            Recipe.Default with { Model = "mlp", Epochs = 3, MissingValues = MissingValuePolicy.DropRow, ValidationFraction = 0 }, "r", new TrainingLimits(null, null), ModelGiven: true);

        var summary = pipeline.Train(request);

        Assert.Equal((RunOutcome.Finished, RunOutcome.Finished), (summary.Outcome, recorder.Outcome!.Value));
        Assert.Equal(pruned ? 1 : 3, (int)recorder.Metrics["epochs"]);
        Assert.True(recorder.Metrics.ContainsKey("train_seconds"));
        Assert.Equal(!pruned, recorder.Metrics.ContainsKey("test_accuracy"));
        Assert.Equal(!pruned, File.Exists(Path.Combine(summary.ArtifactsDir, "confusion_matrix.png")));
    }
}
