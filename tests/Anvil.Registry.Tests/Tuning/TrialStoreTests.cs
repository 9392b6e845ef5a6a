using Anvil.Registry.Runs;
using Anvil.Registry.Tests.Conformance;
using Anvil.Registry.Tuning;

namespace Anvil.Registry.Tests.Tuning;

/// <summary>Studies, trials and leases, on SQLite and PostgreSQL.</summary>
public abstract class TrialStoreTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromMinutes(5);

    private static IReadOnlyDictionary<string, double>? Sample(IReadOnlyList<StoredTrial> done, int number) =>
        new Dictionary<string, double> { ["learning_rate"] = 0.001 * (number + 1), ["seen"] = done.Count };

    [Fact]
    public void ASecondWorkerJoinsTheStudyAndAnotherDefinitionIsRefused()
    {
        var studies = new StudyStore(Db, Clock);
        var first = studies.Open("fmnist", """{"space":1}""");

        Assert.Equal(first, new StudyStore(Backend.OpenReplica(Clock), Clock).Open("fmnist", """{"space":1}"""));
        var error = Assert.Throws<RegistryException>(() => studies.Open("fmnist", """{"space":2}"""));
        Assert.Contains("already exists with another definition", error.Message);
        Assert.Contains("No study is named 'other'", Assert.Throws<RegistryException>(() => studies.Get("other")).Message);
    }

    [Fact]
    public void TrialsAreNumberedInOrderSeeTheTrialsBeforeThemAndStopAtTheBudget()
    {
        var study = new StudyStore(Db, Clock).Open("s", "{}");
        var trials = new TrialStore(Db, Clock, LeaseTime);

        var leased = Enumerable.Range(0, 4).Select(_ => trials.Lease(study.Id, "w1", maxTrials: 3, Sample)).ToList();

        Assert.Equal([0, 1, 2], leased.Take(3).Select(l => l!.Trial.Number));
        Assert.Equal([0.0, 1, 2], leased.Take(3).Select(l => l!.Trial.Parameters["seen"]));
        Assert.Null(leased[3]);
        Assert.All(trials.Trials(study.Id), t => Assert.Equal((TrialStatus.Running, "w1", Start + LeaseTime), (t.Status, t.Worker, t.LeaseExpiresAt)));
        Assert.Null(trials.Lease(study.Id, "w1", maxTrials: 10, (_, _) => null)); // a finished grid
    }

    [Fact]
    public void ReportsRenewTheLeaseAndAFinishedTrialKeepsItsValueRunAndCurve()
    {
        using var home = new TempDirectory();
        var run = new RunStore(Db, new AnvilHome(home.Path), Clock).CreateRun("trial-0", new Dictionary<string, string>(), "sha256:d");
        var study = new StudyStore(Db, Clock).Open("s", "{}");
        var trials = new TrialStore(Db, Clock, LeaseTime);
        var number = trials.Lease(study.Id, "w1", 5, Sample)!.Trial.Number;

        Assert.True(trials.AttachRun(study.Id, number, "w1", run.Id));
        Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True(trials.Report(study.Id, number, "w1", 1, 0.80));
        Clock.Advance(TimeSpan.FromMinutes(4)); // 8 minutes after the lease began, 4 after the report renewed it
        Assert.Null(trials.Lease(study.Id, "w2", 1, Sample));
        Assert.True(trials.Report(study.Id, number, "w1", 2, 0.85));
        Assert.True(trials.Finish(study.Id, number, "w1", TrialStatus.Complete, 0.85));

        var trial = Assert.Single(trials.Trials(study.Id));
        Assert.Equal((TrialStatus.Complete, 0.85, run.Id, (DateTimeOffset?)null), (trial.Status, trial.Value, trial.RunId, trial.LeaseExpiresAt));
        Assert.Equal(new Dictionary<int, double> { [1] = 0.80, [2] = 0.85 }, trial.Intermediate);
        Assert.False(trials.Report(study.Id, number, "w1", 3, 0.9)); // ended: nothing more is recorded
    }

    [Fact]
    public void AMultiObjectiveTrialKeepsEachObjectivesValueInOrder()
    {
        var study = new StudyStore(Db, Clock).Open("mo", "{}");
        var trials = new TrialStore(Db, Clock, LeaseTime);
        var (first, second) = (trials.Lease(study.Id, "w1", 5, Sample)!.Trial.Number, trials.Lease(study.Id, "w1", 5, Sample)!.Trial.Number);

        // Full doubles (an accuracy, a latency in ms, a byte count) must come back bit for bit on both databases.
        Assert.True(trials.Finish(study.Id, first, "w1", TrialStatus.Complete, 0.8765432109876543, [0.8765432109876543, 0.123456789012345, 2_309_871]));
        Assert.True(trials.Finish(study.Id, second, "w1", TrialStatus.Pruned, null));

        var stored = new TrialStore(Backend.OpenReplica(Clock), Clock, LeaseTime).Trials(study.Id);
        Assert.Equal([0.8765432109876543, 0.123456789012345, 2_309_871], stored[0].Values!);
        Assert.Equal(0.8765432109876543, stored[0].Value);
        Assert.Null(stored[1].Values);
    }

    [Fact]
    public void ALapsedLeaseIsTakenOverAfterACrashAndTheOldWorkerCanNoLongerWrite()
    {
        var study = new StudyStore(Db, Clock).Open("s", "{}");
        var crashed = new TrialStore(Db, Clock, LeaseTime);
        var number = crashed.Lease(study.Id, "dead", 5, Sample)!.Trial.Number;
        Assert.True(crashed.Report(study.Id, number, "dead", 1, 0.5));
        // A new process on the same database, after the lease has lapsed.
        Clock.Advance(LeaseTime + TimeSpan.FromSeconds(1));
        var restarted = new TrialStore(Backend.OpenReplica(Clock), Clock, LeaseTime);

        var takeover = restarted.Lease(study.Id, "alive", 5, Sample)!;

        Assert.True(takeover.TakenOver);
        Assert.Equal((number, "alive", 0.5), (takeover.Trial.Number, takeover.Trial.Worker, takeover.Trial.Intermediate[1]));
        Assert.False(crashed.Report(study.Id, number, "dead", 2, 0.6));
        Assert.False(crashed.Finish(study.Id, number, "dead", TrialStatus.Complete, 0.6));
        Assert.True(restarted.Finish(study.Id, number, "alive", TrialStatus.Pruned, null));
        Assert.Equal(TrialStatus.Pruned, Assert.Single(restarted.Trials(study.Id)).Status);
    }

    [Fact]
    public void AReleasedLeaseIsTakenOverAtOnce()
    {
        var study = new StudyStore(Db, Clock).Open("s", "{}");
        var trials = new TrialStore(Db, Clock, LeaseTime);
        var number = trials.Lease(study.Id, "w1", 5, Sample)!.Trial.Number;

        Assert.True(trials.Release(study.Id, number, "w1"));

        Assert.Equal((number, true), trials.Lease(study.Id, "w2", 5, Sample) is { } l ? (l.Trial.Number, l.TakenOver) : default);
    }

    [Fact]
    public async Task ConcurrentLeasersOnSeparateConnectionsNeverGetTheSameTrial()
    {
        var study = new StudyStore(Db, Clock).Open("s", "{}");
        const int workers = 6, budget = 60;
        using var ready = new Barrier(workers);

        var tasks = Enumerable.Range(0, workers).Select(w => Task.Factory.StartNew(() =>
        {
            var store = new TrialStore(Backend.OpenReplica(Clock), Clock, LeaseTime);
            ready.SignalAndWait();
            var mine = new List<StoredTrial>();
            while (store.Lease(study.Id, $"w{w}", budget, Sample) is { } lease)
                mine.Add(lease.Trial);
            return mine;
        }, TaskCreationOptions.LongRunning)).ToArray();
        var all = (await Task.WhenAll(tasks)).SelectMany(t => t).ToList();
        Assert.Equal(Enumerable.Range(0, budget), all.Select(t => t.Number).Order());
        // Each sampler saw exactly the trials numbered before its own: leases were serialised.
        Assert.All(all, t => Assert.Equal(t.Number, t.Parameters["seen"]));
        Assert.Equal(all.ToDictionary(t => t.Number, t => t.Worker), new TrialStore(Db, Clock, LeaseTime).Trials(study.Id).ToDictionary(t => t.Number, t => t.Worker));
    }
}

public sealed class SqliteTrialStoreTests() : TrialStoreTests(new SqliteBackend());

public sealed class PostgresTrialStoreTests() : TrialStoreTests(new PostgresBackend());
