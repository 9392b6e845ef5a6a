using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Registry.Tests.Conformance;

public abstract class UsageLedgerTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private static readonly Plan Roomy = new("roomy", 1_000, 1_000_000, 500_000);

    [Fact]
    public void AcceptedRequestIsBilledAndItsPredictionsLoggedAsReceived()
    {
        var acme = NewCustomer("acme", Roomy);
        var request = Request(acme, "req-1", predictions: 2);

        var outcome = Assert.Single(Ledger.Record([request]));

        Assert.Equal(new UsageOutcome(UsageOutcomeStatus.Accepted, request.ResponseJson), outcome);
        Assert.Equal(2, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        foreach (var sent in request.Predictions)
        {
            var stored = Ledger.FindPrediction(acme.Organization.Id, sent.Id)!;
            Assert.Equal((sent.Id, sent.ModelName, sent.ModelVersion, sent.InputShape, sent.Label, sent.LabelName),
                (stored.Id, stored.ModelName, stored.ModelVersion, stored.InputShape, stored.Label, stored.LabelName));
            Assert.Equal(sent.Input, stored.Input);
            Assert.Equal(sent.Probabilities, stored.Probabilities); // float32 round-trips exactly through the JSON text
        }
    }

    [Fact]
    public void FreshServerIdsAreBilledLikeAnyOtherAndTheUniqueIndexStillRefusesAReusedOne()
    {
        var acme = NewCustomer("acme", Roomy);
        var group = Enumerable.Range(0, 5).Select(i => Request(acme, $"req_fresh{i}", predictions: 2) with { FreshId = true }).ToList();

        var outcomes = Ledger.Record(group);

        Assert.All(outcomes, o => Assert.Equal(UsageOutcomeStatus.Accepted, o.Status));
        Assert.Equal(10, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        Assert.Equal(UsageOutcomeStatus.Replayed, Ledger.FindReplay(acme.Organization.Id, "req_fresh3", "body-of-req_fresh3-2")!.Status);
        // A caller that calls a reused id fresh gets an error for the whole group, never a second bill.
        Assert.ThrowsAny<System.Data.Common.DbException>(() => Ledger.Record([Request(acme, "req_fresh0", predictions: 2) with { FreshId = true }]));
        Assert.Equal(10, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
    }

    [Fact]
    public void ReplayOfTheSameRequestReturnsTheStoredResponseAndBillsOnce()
    {
        var acme = NewCustomer("acme", Roomy);
        Ledger.Record([Request(acme, "req-1", 3, response: "first")]);
        Assert.Null(Ledger.FindReplay(acme.Organization.Id, "req-2", "body-of-req-2-1"));

        var replay = Ledger.Record([Request(acme, "req-1", 3, response: "second")])[0];

        Assert.Equal(new UsageOutcome(UsageOutcomeStatus.Replayed, "first"), replay);
        Assert.Equal(replay, Ledger.FindReplay(acme.Organization.Id, "req-1", "body-of-req-1-3"));
        Assert.Equal(3, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
    }

    [Fact]
    public void SameRequestIdWithAnotherBodyIsAConflictAndNotBilled()
    {
        var acme = NewCustomer("acme", Roomy);
        Ledger.Record([Request(acme, "req-1", 1)]);

        var conflict = Ledger.Record([Request(acme, "req-1", 1, hash: "another-body")])[0];

        Assert.Equal(UsageOutcomeStatus.IdempotencyConflict, conflict.Status);
        Assert.Null(conflict.ResponseJson);
        Assert.Equal(UsageOutcomeStatus.IdempotencyConflict, Ledger.FindReplay(acme.Organization.Id, "req-1", "another-body")!.Status);
        Assert.Equal(1, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
    }

    [Fact]
    public void RequestIdsAreScopedToTheOrganization()
    {
        var acme = NewCustomer("acme", Roomy);
        var beta = NewCustomer("beta", Roomy);

        Ledger.Record([Request(acme, "req-1", 1)]);
        var other = Ledger.Record([Request(beta, "req-1", 2)])[0];

        Assert.Equal(UsageOutcomeStatus.Accepted, other.Status);
        Assert.Equal(1, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        Assert.Equal(2, Ledger.BilledPredictions(beta.Organization.Id, 2025, 3));
    }

    [Fact]
    public void RateLimitStopsExactlyAtThePlansRequestsPerMinuteUntilTheNextMinute()
    {
        var acme = NewCustomer("acme", new Plan("five", 5, 1_000, 0));
        var requests = Enumerable.Range(0, 6).Select(i => Request(acme, $"r{i}")).ToList();

        var outcomes = Ledger.Record(requests[..5]).Concat(Ledger.Record([requests[5]])).ToList();

        Assert.All(outcomes[..5], o => Assert.Equal(UsageOutcomeStatus.Accepted, o.Status));
        Assert.Equal(new UsageOutcome(UsageOutcomeStatus.RateLimited, RetryAfter: TimeSpan.FromSeconds(30)), outcomes[5]); // Start is hh:mm:30
        Assert.Equal(new RateStatus(true, false, TimeSpan.FromSeconds(30)), Ledger.Peek(acme.Key, acme.Plan));

        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(TimeSpan.FromSeconds(1), Ledger.Record([requests[5]])[0].RetryAfter);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new RateStatus(false, false, null), Ledger.Peek(acme.Key, acme.Plan));
        Assert.Equal(UsageOutcomeStatus.Accepted, Ledger.Record([requests[5]])[0].Status);
        Assert.Equal(6, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        Assert.Equal( // recent minutes stay (a replica whose clock runs behind still counts on them)
            ["2025-03", "2025-03-14T12:00", "2025-03-14T12:01"],
            Db.Read(session => session.Query("SELECT bucket FROM usage_counters ORDER BY bucket", reader => reader.GetString(0))));
        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(UsageOutcomeStatus.Accepted, Ledger.Record([Request(acme, "r-later")])[0].Status);
        Assert.Equal( // minutes more than an hour old are pruned by the first request of a new minute
            ["2025-03", "2025-03-14T14:01"],
            Db.Read(session => session.Query("SELECT bucket FROM usage_counters ORDER BY bucket", reader => reader.GetString(0))));
    }

    [Fact]
    public void MonthlyQuotaCountsPredictionsAndResetsAtTheNextUtcMonth()
    {
        var acme = NewCustomer("acme", new Plan("ten", 100, 10, 0));
        var untilApril = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero) - Start;

        var outcomes = Ledger.Record([Request(acme, "a", 4), Request(acme, "b", 4), Request(acme, "c", 3), Request(acme, "d", 2)]);
        var full = Ledger.Record([Request(acme, "e", 1)])[0];

        Assert.Equal(
            [UsageOutcomeStatus.Accepted, UsageOutcomeStatus.Accepted, UsageOutcomeStatus.QuotaExceeded, UsageOutcomeStatus.Accepted],
            outcomes.Select(o => o.Status));
        Assert.Equal(untilApril, outcomes[2].RetryAfter);
        Assert.Equal(new UsageOutcome(UsageOutcomeStatus.QuotaExceeded, RetryAfter: untilApril), full);
        Assert.Equal(new RateStatus(false, true, untilApril), Ledger.Peek(acme.Key, acme.Plan));
        Assert.Equal(10, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));

        Clock.SetUtcNow(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(UsageOutcomeStatus.Accepted, Ledger.Record([Request(acme, "e", 1)])[0].Status);
        Assert.Equal(1, Ledger.BilledPredictions(acme.Organization.Id, 2025, 4));
    }

    [Fact]
    public void RequestRefusedForQuotaDoesNotUseTheRateLimit()
    {
        var acme = NewCustomer("acme", new Plan("two-rpm", 2, 3, 0));

        var outcomes = Ledger.Record([Request(acme, "big", 4), Request(acme, "x", 1), Request(acme, "y", 1), Request(acme, "z", 1)]);

        Assert.Equal(
            [UsageOutcomeStatus.QuotaExceeded, UsageOutcomeStatus.Accepted, UsageOutcomeStatus.Accepted, UsageOutcomeStatus.RateLimited],
            outcomes.Select(o => o.Status));
    }

    [Fact]
    public void OneBatchMixingEveryOutcomeKeepsTheOrderAndBillsOnlyTheAccepted()
    {
        var acme = NewCustomer("acme", new Plan("tiny", 3, 5, 0));
        var beta = NewCustomer("beta", Roomy);
        Ledger.Record([Request(acme, "r0", 1, response: "r0-response")]);

        var batch = new[]
        {
            Request(acme, "r1", 1),                    // rate 2/3, quota 2/5
            Request(beta, "b1", 2),                    // another key, sorted elsewhere for locking
            Request(acme, "r0", 1, response: "new"),   // replay of an earlier batch
            Request(acme, "r0", 1, hash: "changed"),   // same id, another body
            Request(acme, "r2", 4),                    // quota 6/5: refused, its rate increment undone
            Request(acme, "r3", 3),                    // rate 3/3, quota 5/5
            Request(acme, "r4", 1),                    // rate 4/3
            Request(acme, "r1", 1),                    // replay of this same batch
        };
        var outcomes = Ledger.Record(batch);

        Assert.Equal(
            [
                UsageOutcomeStatus.Accepted, UsageOutcomeStatus.Accepted, UsageOutcomeStatus.Replayed,
                UsageOutcomeStatus.IdempotencyConflict, UsageOutcomeStatus.QuotaExceeded, UsageOutcomeStatus.Accepted,
                UsageOutcomeStatus.RateLimited, UsageOutcomeStatus.Replayed,
            ],
            outcomes.Select(o => o.Status));
        Assert.Equal("r0-response", outcomes[2].ResponseJson);
        Assert.Equal(batch[0].ResponseJson, outcomes[7].ResponseJson);
        Assert.Equal(5, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
        Assert.Equal(2, Ledger.BilledPredictions(beta.Organization.Id, 2025, 3));
        var logged = batch.Select((request, i) => request.Predictions.Count(p => Ledger.FindPrediction(request.Key.OrganizationId, p.Id) is not null));
        Assert.Equal([1, 2, 0, 0, 0, 3, 0, 0], logged);
    }

    [Fact]
    public void PredictionOfAnotherOrganizationIsNotFound()
    {
        var acme = NewCustomer("acme", Roomy);
        var beta = NewCustomer("beta", Roomy);
        var request = Request(acme, "r1", 1);
        Ledger.Record([request]);

        Assert.NotNull(Ledger.FindPrediction(acme.Organization.Id, request.Predictions[0].Id));
        Assert.Null(Ledger.FindPrediction(beta.Organization.Id, request.Predictions[0].Id));
        Assert.Null(Ledger.FindPrediction(acme.Organization.Id, "no-such-prediction"));
    }

    [Fact]
    public void RequestWithoutPredictionsIsRefusedBeforeAnythingIsRecorded()
    {
        var acme = NewCustomer("acme", Roomy);
        var empty = Request(acme, "empty", 1) with { Predictions = [] };

        Assert.Throws<ArgumentException>(() => Ledger.Record([Request(acme, "ok", 1), empty]));
        Assert.Equal(0, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
    }
}

public sealed class SqliteUsageLedgerTests() : UsageLedgerTests(new SqliteBackend());

public sealed class PostgresUsageLedgerTests() : UsageLedgerTests(new PostgresBackend());
