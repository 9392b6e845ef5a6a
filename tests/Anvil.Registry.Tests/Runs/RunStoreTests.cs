using Anvil.Registry.Runs;
using Anvil.Registry.Tests.Conformance;

namespace Anvil.Registry.Tests.Runs;

public abstract class RunStoreTests(RegistryBackend backend) : IDisposable
{
    private readonly RegistryTestContext _context = new(backend);

    private RunStore Store => _context.Store;

    [Fact]
    public void CreatedRunIsRunningWithItsParametersStartTimeAndArtifactsDirectory()
    {
        var startedAt = _context.Clock.GetUtcNow();
        var run = _context.CreateRun("mnist-cnn", new Dictionary<string, string> { ["lr"] = "0.001", ["epochs"] = "5" });

        Assert.Equal(32, run.Id.Length);
        Assert.Equal("mnist-cnn", run.Name);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal("sha256:abc", run.DatasetHash);
        Assert.Equal(startedAt, run.StartedAt);
        Assert.Equal(startedAt, run.HeartbeatAt);
        Assert.Null(run.FinishedAt);
        Assert.Equal("0.001", run.Parameters["lr"]);
        Assert.Equal(_context.Home.RunArtifactsDirectory(run.Id), run.ArtifactsDirectory);
        Assert.True(Directory.Exists(run.ArtifactsDirectory));
    }

    [Fact]
    public void RunComesBackFromGetAndListAsItWasRecorded()
    {
        var created = _context.CreateRun(parameters: new Dictionary<string, string> { ["batch"] = "64" });
        Store.LogEpoch(created.Id, 1, new Dictionary<string, double> { ["train_loss"] = 0.5 });
        Store.LogMetrics(created.Id, new Dictionary<string, double> { ["test_accuracy"] = 0.98 });

        var shown = Store.GetRun(created.Id);
        var listed = Assert.Single(Store.ListRuns(10));

        foreach (var run in new[] { shown, listed })
        {
            Assert.Equal(created.Id, run.Id);
            Assert.Equal("64", run.Parameters["batch"]);
            Assert.Equal(0.98, run.Metrics["test_accuracy"]);
            Assert.Equal(0.5, Assert.Single(run.Epochs).Metrics["train_loss"]);
        }
    }

    [Fact]
    public void ListRunsReturnsTheNewestFirstUpToTheLimit()
    {
        var ids = Enumerable.Range(0, 4).Select(i => _context.CreateRun($"run-{i}").Id).ToList();

        var listed = Store.ListRuns(3);

        Assert.Equal([ids[3], ids[2], ids[1]], listed.Select(run => run.Id));
    }

    [Fact]
    public void RunIdsSortInCreationOrder()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => _context.CreateRun().Id).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ParametersWithQuotesAndUnicodeSurvive()
    {
        var odd = new Dictionary<string, string>
        {
            ["it's"] = "O'Brien said \"hi\"; DROP TABLE runs; --",
            ["ünïcødé 名前"] = "学习率 🚀",
            ["empty"] = "",
        };
        var run = _context.CreateRun("naïve 'run'", odd);

        var shown = Store.GetRun(run.Id);

        Assert.Equal("naïve 'run'", shown.Name);
        Assert.Equal(odd.OrderBy(p => p.Key), shown.Parameters.OrderBy(p => p.Key));
    }

    [Fact]
    public void EpochsComeBackInEpochOrder()
    {
        var run = _context.CreateRun();
        foreach (var epoch in new[] { 3, 1, 2 })
        {
            Store.LogEpoch(run.Id, epoch, new Dictionary<string, double> { ["train_loss"] = 1.0 / epoch });
        }

        Assert.Equal([1, 2, 3], Store.GetRun(run.Id).Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void ReloggingAnEpochAfterAResumeReplacesItsMetrics()
    {
        var run = _context.CreateRun();
        Store.LogEpoch(run.Id, 1, new Dictionary<string, double> { ["train_loss"] = 0.9, ["val_loss"] = 1.1 });
        Store.Finish(run.Id, RunStatus.Interrupted);
        Store.Resume(run.Id);
        Store.LogEpoch(run.Id, 1, new Dictionary<string, double> { ["train_loss"] = 0.7 });

        var epoch = Assert.Single(Store.GetRun(run.Id).Epochs);
        Assert.Equal(0.7, epoch.Metrics["train_loss"]);
        Assert.Equal(1.1, epoch.Metrics["val_loss"]);
        Assert.Equal(2, epoch.Metrics.Count);
    }

    [Fact]
    public void RunMetricsAreReplacedByKey()
    {
        var run = _context.CreateRun();
        Store.LogMetrics(run.Id, new Dictionary<string, double> { ["test_accuracy"] = 0.9, ["test_loss"] = 0.3 });
        Store.LogMetrics(run.Id, new Dictionary<string, double> { ["test_accuracy"] = 0.95 });

        var metrics = Store.GetRun(run.Id).Metrics;
        Assert.Equal(0.95, metrics["test_accuracy"]);
        Assert.Equal(0.3, metrics["test_loss"]);
    }

    [Fact]
    public void NaNAndInfiniteMetricsSurvive()
    {
        var run = _context.CreateRun();
        Store.LogEpoch(run.Id, 1, new Dictionary<string, double>
        {
            ["train_loss"] = double.NaN,
            ["grad_norm"] = double.PositiveInfinity,
        });

        var metrics = Assert.Single(Store.GetRun(run.Id).Epochs).Metrics;
        Assert.True(double.IsNaN(metrics["train_loss"]));
        Assert.Equal(double.PositiveInfinity, metrics["grad_norm"]);
    }

    [Fact]
    public void TwoStoresOnTheSameFileSeeEachOthersWrites()
    {
        var other = _context.NewStore();
        var run = _context.CreateRun();

        other.LogEpoch(run.Id, 1, new Dictionary<string, double> { ["train_loss"] = 0.4 });
        other.Finish(run.Id, RunStatus.Finished);

        var seen = Store.GetRun(run.Id);
        Assert.Equal(RunStatus.Finished, seen.Status);
        Assert.Equal(0.4, Assert.Single(seen.Epochs).Metrics["train_loss"]);
        Assert.Equal(run.Id, Assert.Single(other.ListRuns(5)).Id);
    }

    [Fact]
    public void NegativeEpochIsRejected()
    {
        var run = _context.CreateRun();
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Store.LogEpoch(run.Id, -1, new Dictionary<string, double> { ["train_loss"] = 1 }));
    }

    public void Dispose()
    {
        _context.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteRunStoreTests() : RunStoreTests(new SqliteBackend());

public sealed class PostgresRunStoreTests() : RunStoreTests(new PostgresBackend());
