using Anvil.Registry.Runs;
using Anvil.Registry.Tests.Conformance;

namespace Anvil.Registry.Tests.Runs;

public abstract class RunStatusTests(RegistryBackend backend) : IDisposable
{
    private static readonly Dictionary<string, double> Loss = new() { ["train_loss"] = 0.5 };

    private readonly RegistryTestContext _context = new(backend);

    private RunStore Store => _context.Store;

    [Theory]
    [InlineData(RunStatus.Finished)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Interrupted)]
    public void FinishRecordsTheStatusAndTheClockTime(RunStatus status)
    {
        var run = _context.CreateRun();
        _context.Clock.Advance(TimeSpan.FromMinutes(3));

        Store.Finish(run.Id, status);

        var finished = Store.GetRun(run.Id);
        Assert.Equal(status, finished.Status);
        Assert.Equal(_context.Clock.GetUtcNow(), finished.FinishedAt);
    }

    [Fact]
    public void FinishingAsRunningIsRejectedWithTheValidChoices()
    {
        var run = _context.CreateRun();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Store.Finish(run.Id, RunStatus.Running));
        Assert.Contains("Finished, Failed or Interrupted", error.Message);
    }

    [Fact]
    public void FinishedRunCannotBeFinishedAgain()
    {
        var run = _context.CreateRun();
        Store.Finish(run.Id, RunStatus.Finished);

        var error = Assert.Throws<RegistryException>(() => Store.Finish(run.Id, RunStatus.Failed));

        Assert.Equal(
            $"Cannot finish run '{run.Id}': it is finished. A finished run is closed; start a new run instead.",
            error.Message);
    }

    [Fact]
    public void FinishedRunCannotBeResumed()
    {
        var run = _context.CreateRun();
        Store.Finish(run.Id, RunStatus.Finished);
        var error = Assert.Throws<RegistryException>(() => Store.Resume(run.Id));
        Assert.Contains("it is finished", error.Message);
    }

    [Fact]
    public void InterruptedRunCanBeResumedAndLogsAgain()
    {
        var run = _context.CreateRun();
        Store.Finish(run.Id, RunStatus.Interrupted);

        Store.Resume(run.Id);
        Store.LogEpoch(run.Id, 1, Loss);

        var resumed = Store.GetRun(run.Id);
        Assert.Equal(RunStatus.Running, resumed.Status);
        Assert.Null(resumed.FinishedAt);
        Assert.Single(resumed.Epochs);
    }

    [Fact]
    public void LoggingAnEpochToAnInterruptedRunAsksForAResume()
    {
        var run = _context.CreateRun();
        Store.Finish(run.Id, RunStatus.Interrupted);
        var error = Assert.Throws<RegistryException>(() => Store.LogEpoch(run.Id, 2, Loss));
        Assert.Equal($"Cannot log epoch 2 to run '{run.Id}': it is interrupted. Resume it first.", error.Message);
    }

    [Fact]
    public void LoggingToAnUnknownRunSaysNoRunHasThatId()
    {
        var error = Assert.Throws<RegistryException>(() => Store.LogMetrics("0123456789abcdef", Loss));
        Assert.Equal(
            "Cannot log metrics to run '0123456789abcdef': no run has that id. Check the id in the run list.",
            error.Message);
    }

    [Fact]
    public void LoggingAnEpochMovesTheHeartbeat()
    {
        var run = _context.CreateRun();
        _context.Clock.Advance(TimeSpan.FromMinutes(2));

        Store.LogEpoch(run.Id, 1, Loss);

        var logged = Store.GetRun(run.Id);
        Assert.Equal(_context.Clock.GetUtcNow(), logged.HeartbeatAt);
        Assert.Equal(run.StartedAt, logged.StartedAt);
    }

    [Fact]
    public void RunningRunWithoutAHeartbeatForLongerThanTheTimeoutIsAbandoned()
    {
        var run = _context.CreateRun();
        Store.LogEpoch(run.Id, 1, Loss);
        var timeout = TimeSpan.FromMinutes(10);

        _context.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(Store.GetRun(run.Id).IsAbandoned(_context.Clock.GetUtcNow(), timeout));
        _context.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(Store.GetRun(run.Id).IsAbandoned(_context.Clock.GetUtcNow(), timeout));
    }

    [Fact]
    public void FinishedRunIsNeverAbandoned()
    {
        var run = _context.CreateRun();
        Store.Finish(run.Id, RunStatus.Finished);
        _context.Clock.Advance(TimeSpan.FromDays(30));
        Assert.False(Store.GetRun(run.Id).IsAbandoned(_context.Clock.GetUtcNow(), TimeSpan.FromMinutes(10)));
    }

    public void Dispose()
    {
        _context.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteRunStatusTests() : RunStatusTests(new SqliteBackend());

public sealed class PostgresRunStatusTests() : RunStatusTests(new PostgresBackend());
