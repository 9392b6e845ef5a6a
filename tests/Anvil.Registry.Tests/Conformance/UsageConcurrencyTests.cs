using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// Several threads, each on its own <see cref="Anvil.Registry.Storage.RegistryDatabase"/> (a second process on SQLite, a
/// serving replica on PostgreSQL), recording overlapping requests at once.
/// </summary>
public abstract class UsageConcurrencyTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private const int Replicas = 4;

    [Fact]
    public void OverlappingIdempotencyKeysFromManyReplicasAreBilledExactlyOnce()
    {
        var acme = NewCustomer("acme", new Plan("roomy", 100_000, 1_000_000, 1_000));
        var acme2 = acme with { Key = Keys.Create("acme", "roomy").Key };
        // 40 distinct requests over two keys, 1 to 3 predictions each; every thread sends all of them in its own order.
        var distinct = Enumerable.Range(0, 40).Select(i => Request(i % 2 == 0 ? acme : acme2, $"req-{i}", 1 + (i % 3))).ToList();
        var ledgers = Enumerable.Range(0, Replicas).Select(_ => new UsageLedger(Backend.OpenReplica(Clock), Clock)).ToList();

        var outcomes = RunThreads(threads: 8, thread =>
        {
            var random = new Random(thread);
            var mine = distinct.OrderBy(_ => random.Next()).ToList();
            var results = new List<(UsageRequest, UsageOutcome)>();
            for (var start = 0; start < mine.Count; start += 5)
            {
                var batch = mine.Skip(start).Take(5).ToList();
                results.AddRange(batch.Zip(ledgers[thread % Replicas].Record(batch)));
            }

            return results;
        });

        var accepted = outcomes.Where(o => o.Outcome.Status == UsageOutcomeStatus.Accepted).ToList();
        Assert.Equal(distinct.Select(r => r.RequestId).Order(), accepted.Select(a => a.Request.RequestId).Order());
        Assert.All(outcomes, o => Assert.Contains(o.Outcome.Status, new[] { UsageOutcomeStatus.Accepted, UsageOutcomeStatus.Replayed }));
        Assert.All(outcomes, o => Assert.Equal($"{{\"request\":\"{o.Request.RequestId}\"}}", o.Outcome.ResponseJson));
        var acceptedPredictions = accepted.Sum(a => a.Request.Predictions.Count);
        Assert.Equal(distinct.Sum(r => r.Predictions.Count), acceptedPredictions);
        Assert.Equal(acceptedPredictions, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        Assert.Equal(acceptedPredictions, Ledger.UsageByDay(acme.Organization.Id, new DateOnly(2025, 3, 14), new DateOnly(2025, 3, 14)).Single().Predictions);
        Assert.Equal(
            accepted.Sum(a => a.Request.Predictions.Count),
            accepted.Sum(a => a.Request.Predictions.Count(p => Ledger.FindPrediction(acme.Organization.Id, p.Id) is not null)));
    }

    [Fact]
    public void ConcurrentRequestsStopExactlyAtTheRateLimitAndTheQuota()
    {
        var limited = NewCustomer("acme", new Plan("limited", 25, 1_000_000, 0));
        var quota = NewCustomer("beta", new Plan("quota", 100_000, 30, 0));
        var ledgers = Enumerable.Range(0, Replicas).Select(_ => new UsageLedger(Backend.OpenReplica(Clock), Clock)).ToList();

        var outcomes = RunThreads(threads: 6, thread =>
        {
            var results = new List<(UsageRequest, UsageOutcome)>();
            for (var i = 0; i < 10; i++)
            {
                UsageRequest[] batch = [Request(limited, $"t{thread}-{i}", 1), Request(quota, $"t{thread}-{i}", 1 + (i % 2))];
                results.AddRange(batch.Zip(ledgers[thread % Replicas].Record(batch)));
            }

            return results;
        });

        var limitedOutcomes = outcomes.Where(o => o.Request.Key.Id == limited.Key.Id).ToList();
        Assert.Equal(25, limitedOutcomes.Count(o => o.Outcome.Status == UsageOutcomeStatus.Accepted));
        Assert.Equal(35, limitedOutcomes.Count(o => o.Outcome.Status == UsageOutcomeStatus.RateLimited));
        Assert.Equal(25, Ledger.BilledPredictions(limited.Organization.Id, 2025, 3));

        var quotaAccepted = outcomes
            .Where(o => o.Request.Key.Id == quota.Key.Id && o.Outcome.Status == UsageOutcomeStatus.Accepted)
            .Sum(o => o.Request.Predictions.Count);
        Assert.InRange(quotaAccepted, 29, 30); // requests of 1 and 2 predictions: the last one may not fit
        Assert.Equal(quotaAccepted, Ledger.BilledPredictions(quota.Organization.Id, 2025, 3));
    }

    private static List<(UsageRequest Request, UsageOutcome Outcome)> RunThreads(
        int threads, Func<int, List<(UsageRequest, UsageOutcome)>> work)
    {
        using var ready = new Barrier(threads);
        var tasks = Enumerable.Range(0, threads).Select(thread => Task.Factory.StartNew(
            () =>
            {
                ready.SignalAndWait();
                return work(thread);
            },
            TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(tasks);
        return [.. tasks.SelectMany(task => task.Result)];
    }
}

public sealed class SqliteUsageConcurrencyTests() : UsageConcurrencyTests(new SqliteBackend());

public sealed class PostgresUsageConcurrencyTests() : UsageConcurrencyTests(new PostgresBackend());
