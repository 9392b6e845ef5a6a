using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// Stored answers expire (review M3): within the ledger's idempotency window a request id replays its answer;
/// after it the same id is a new request, billed again, and the first one's billing rows stay.
/// </summary>
public abstract class IdempotencyWindowTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private static readonly Plan Roomy = new("roomy", 1_000, 1_000_000, 500_000);

    [Fact]
    public void AnswerIsReplayedUntilTheDefaultWindowOfADayHasPassed()
    {
        var acme = NewCustomer("acme", Roomy);
        Ledger.Record([Request(acme, "req-1", 3, response: "first")]);
        Clock.Advance(UsageLedger.DefaultIdempotencyWindow - TimeSpan.FromSeconds(1));

        var replay = Ledger.Record([Request(acme, "req-1", 3, response: "second")])[0];

        Assert.Equal(TimeSpan.FromHours(24), Ledger.IdempotencyWindow);
        Assert.Equal(new UsageOutcome(UsageOutcomeStatus.Replayed, "first"), replay);
        Assert.Equal(replay, Ledger.FindReplay(acme.Organization.Id, "req-1", "body-of-req-1-3"));
        Assert.Equal(3, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
    }

    [Fact]
    public void AfterTheWindowTheSameRequestIdIsBilledAgainAndTheFirstBillingRowsStay()
    {
        var acme = NewCustomer("acme", Roomy);
        var first = Request(acme, "req-1", 3, response: "first");
        Ledger.Record([first]);
        Clock.Advance(UsageLedger.DefaultIdempotencyWindow);
        Assert.Null(Ledger.FindReplay(acme.Organization.Id, "req-1", "body-of-req-1-3"));
        Assert.Null(Ledger.FindReplay(acme.Organization.Id, "req-1", "another-body")); // not a conflict either

        var second = Request(acme, "req-1", 3, response: "second");
        var outcome = Ledger.Record([second])[0];

        Assert.Equal(new UsageOutcome(UsageOutcomeStatus.Accepted, "second"), outcome);
        Assert.Equal(new UsageOutcome(UsageOutcomeStatus.Replayed, "second"), Ledger.FindReplay(acme.Organization.Id, "req-1", "body-of-req-1-3"));
        Assert.Equal(
            [(new DateOnly(2025, 3, 14), 1L, 3L), (new DateOnly(2025, 3, 15), 1L, 3L)],
            Ledger.UsageByDay(acme.Organization.Id, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31)).Select(d => (d.Day, d.Requests, d.Predictions)));
        var invoice = Ledger.Invoice(acme.Organization.Id, 2025, 3);
        Assert.Equal(6, Assert.Single(invoice.Lines).Predictions);
        Assert.Equal(UsageLedger.Amount(6, Roomy.PricePer1000Micros), invoice.TotalMicros);
        Assert.Equal([3L, 3L], Db.Read(session => session.Query(
            "SELECT quantity FROM usage_events WHERE organization_id = @org ORDER BY created_at", reader => reader.GetInt64(0), ("@org", acme.Organization.Id))));
        Assert.All(first.Predictions.Concat(second.Predictions), p => Assert.NotNull(Ledger.FindPrediction(acme.Organization.Id, p.Id)));
    }

    [Fact]
    public void AnExpiredRequestIdSentToManyReplicasAtOnceIsBilledOnce()
    {
        var acme = NewCustomer("acme", Roomy);
        var window = TimeSpan.FromHours(1);
        var ledgers = Enumerable.Range(0, 4).Select(_ => new UsageLedger(Backend.OpenReplica(Clock), Clock, window)).ToList();
        ledgers[0].Record([Request(acme, "req-1", 2, response: "old")]);
        Clock.Advance(window + TimeSpan.FromMinutes(1));

        using var ready = new Barrier(ledgers.Count);
        var outcomes = Enumerable.Range(0, ledgers.Count).AsParallel().WithDegreeOfParallelism(ledgers.Count).Select(replica =>
        {
            ready.SignalAndWait();
            return ledgers[replica].Record([Request(acme, "req-1", 2, response: $"new-{replica}")])[0];
        }).ToList();

        var accepted = Assert.Single(outcomes, o => o.Status == UsageOutcomeStatus.Accepted);
        Assert.All(outcomes, o => Assert.Equal(accepted.ResponseJson, o.ResponseJson)); // the others replay the new answer
        Assert.Equal(4, Ledger.BilledPredictions(acme.Organization.Id, 2025, 3));
    }

    [Fact]
    public void AWindowThatIsNotPositiveIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UsageLedger(Db, Clock, TimeSpan.Zero));
}

public sealed class SqliteIdempotencyWindowTests() : IdempotencyWindowTests(new SqliteBackend());

public sealed class PostgresIdempotencyWindowTests() : IdempotencyWindowTests(new PostgresBackend());
