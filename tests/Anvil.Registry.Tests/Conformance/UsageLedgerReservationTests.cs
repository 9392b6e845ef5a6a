using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// Reservations before inference: the minute and the month are taken in one short write, the usage event
/// consumes them, and what is not billed is given back to the month but stays counted in the minute.
/// </summary>
public abstract class UsageLedgerReservationTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    [Fact]
    public void AReservationIsConsumedByItsUsageEventWithoutASecondIncrement()
    {
        var acme = NewCustomer("acme", new Plan("ten", 100, 10, 0));
        var reservation = Ledger.Reserve(acme.Key, acme.Plan, 6);
        Assert.True(reservation.Granted);

        var outcome = Ledger.Record([Request(acme, "r1", 6) with { Reservation = reservation }])[0];

        Assert.Equal(UsageOutcomeStatus.Accepted, outcome.Status);
        Assert.Equal(6, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        Assert.True(Ledger.Reserve(acme.Key, acme.Plan, 4).Granted); // 6 + 4 = 10: the event did not count the 6 twice
        Assert.Equal(new Reservation(UsageOutcomeStatus.QuotaExceeded, acme.Key.Id, "2025-03", 1, new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero) - Start, 0),
            Ledger.Reserve(acme.Key, acme.Plan, 1));
    }

    [Fact]
    public void ARequestLargerThanTheMonthsRestIsRefusedWithHowManyFitAndNoTimeToWait()
    {
        var acme = NewCustomer("acme", new Plan("ten", 100, 10, 0));
        Assert.True(Ledger.Reserve(acme.Key, acme.Plan, 7).Granted);

        var refused = Ledger.Reserve(acme.Key, acme.Plan, 5);

        Assert.Equal((UsageOutcomeStatus.QuotaExceeded, 3L, (TimeSpan?)null), (refused.Status, refused.QuotaLeft, refused.RetryAfter));
        Assert.True(Ledger.Reserve(acme.Key, acme.Plan, 3).Granted);
    }

    [Fact]
    public void RefusedAndRefundedRequestsStayCountedInTheMinuteWindow()
    {
        var acme = NewCustomer("acme", new Plan("three-rpm", 3, 10, 0));
        var first = Ledger.Reserve(acme.Key, acme.Plan, 10);
        Ledger.Refund(first);                                                            // request 1: failed after reserving
        Assert.Equal(UsageOutcomeStatus.QuotaExceeded, Ledger.Reserve(acme.Key, acme.Plan, 11).Status); // request 2: too big
        Ledger.CountRequest(acme.Key, acme.Plan);                                        // request 3: did not parse

        var limited = Ledger.Reserve(acme.Key, acme.Plan, 1);

        Assert.Equal(UsageOutcomeStatus.RateLimited, limited.Status);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.RetryAfter);
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(Ledger.Reserve(acme.Key, acme.Plan, 10).Granted); // the refund gave the whole month back
    }

    [Fact]
    public void AReplayOrConflictAtTheGroupCommitGivesTheReservationBack()
    {
        var acme = NewCustomer("acme", new Plan("ten", 100, 10, 0));
        Ledger.Record([Request(acme, "r1", 4) with { Reservation = Ledger.Reserve(acme.Key, acme.Plan, 4) }]);

        var replay = Ledger.Record([Request(acme, "r1", 4) with { Reservation = Ledger.Reserve(acme.Key, acme.Plan, 4) }])[0];
        var conflict = Ledger.Record([Request(acme, "r1", 2, hash: "other") with { Reservation = Ledger.Reserve(acme.Key, acme.Plan, 2) }])[0];

        Assert.Equal((UsageOutcomeStatus.Replayed, UsageOutcomeStatus.IdempotencyConflict), (replay.Status, conflict.Status));
        Assert.True(Ledger.Reserve(acme.Key, acme.Plan, 6).Granted); // 4 billed, 6 left
    }

    [Theory]
    [InlineData(100, 1_000)] // room for every request: one increment of each counter per key
    [InlineData(3, 1_000)]   // the minute fills within the batch
    [InlineData(100, 10)]    // the month fills within the batch
    public void ABatchOfReservationsHasTheOutcomesAndCountersOfTheSameReservationsOneByOne(int requestsPerMinute, long monthlyQuota)
    {
        var plan = new Plan("limited", requestsPerMinute, monthlyQuota, 0);
        var batched = new[] { NewCustomer("acme", plan), NewCustomer("beta", plan) };
        var single = new[] { NewCustomer("gamma", plan), NewCustomer("delta", plan) };
        int[] inputs = [4, 1, 4, 3, 1, 2];
        var owners = new[] { 0, 1, 0, 0, 1, 0 }; // two keys, interleaved

        var together = Ledger.Reserve([.. inputs.Select((n, i) => (batched[owners[i]].Key, plan, n))]);
        var apart = inputs.Select((n, i) => Ledger.Reserve(single[owners[i]].Key, plan, n)).ToList();

        Assert.Equal(apart.Select(r => (r.Status, r.Inputs, r.RetryAfter, r.QuotaLeft)), together.Select(r => (r.Status, r.Inputs, r.RetryAfter, r.QuotaLeft)));
        Assert.Equal(owners.Select(o => batched[o].Key.Id), together.Select(r => r.KeyId));
        Assert.Equal(single.Select(c => Ledger.Used(c.Key)), batched.Select(c => Ledger.Used(c.Key)));
        Assert.Contains(together, r => r.Granted);
        if (requestsPerMinute < inputs.Length || monthlyQuota < inputs.Sum())
            Assert.Contains(together, r => !r.Granted); // the limit was met inside the batch, not before it
    }

    [Fact]
    public void AReplicaWhoseClockRunsBehindDoesNotResetTheMinute()
    {
        var acme = NewCustomer("acme", new Plan("five-rpm", 5, 1_000, 0));
        var behind = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 12, 0, 59, TimeSpan.Zero));
        var ahead = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 12, 1, 0, TimeSpan.Zero));
        var replicaBehind = new UsageLedger(Backend.OpenReplica(behind), behind);
        var replicaAhead = new UsageLedger(Backend.OpenReplica(ahead), ahead);

        var early = Enumerable.Range(0, 5).Select(_ => replicaBehind.Reserve(acme.Key, acme.Plan, 1).Granted).ToList();
        Assert.True(replicaAhead.Reserve(acme.Key, acme.Plan, 1).Granted); // the first request of 12:01
        var late = Enumerable.Range(0, 5).Select(_ => replicaBehind.Reserve(acme.Key, acme.Plan, 1).Granted).ToList();

        Assert.All(early, Assert.True);
        Assert.All(late, Assert.False); // 12:00 was full and stays full
    }
}

public sealed class SqliteUsageLedgerReservationTests() : UsageLedgerReservationTests(new SqliteBackend());

public sealed class PostgresUsageLedgerReservationTests() : UsageLedgerReservationTests(new PostgresBackend());
