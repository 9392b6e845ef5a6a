using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Registry.Tests.Conformance;

public abstract class InvoiceTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private static readonly DateTimeOffset March = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset April = new(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void InvoiceHasALinePerPlanModelAndPriceRoundedHalfUp()
    {
        var half = NewCustomer("acme", new Plan("half", 1_000, 1_000_000, 500)); // 0.5 micro per prediction
        var proCnn = NewCustomer("acme", Plans.Get("pro"));
        var proRnn = NewCustomer("acme", Plans.Get("pro"), model: "rnn");
        var other = NewCustomer("beta", Plans.Get("pro"));
        Ledger.Record([Request(half, "h1", 3), Request(proCnn, "c1", 7), Request(proRnn, "n1", 1), Request(other, "o1", 9)]);
        Plans.Save(Plans.Get("pro") with { PricePer1000Micros = 600_001 }); // the new price applies from now on
        Ledger.Record([Request(proCnn with { Plan = Plans.Get("pro") }, "c2", 2)]);
        Clock.SetUtcNow(April);
        Ledger.Record([Request(proCnn, "april", 5)]);

        var invoice = Ledger.Invoice(half.Organization.Id, 2025, 3);

        Assert.Equal((half.Organization.Id, "acme", 2025, 3, March, April), (invoice.OrganizationId, invoice.OrganizationName, invoice.Year, invoice.Month, invoice.PeriodStart, invoice.PeriodEnd));
        Assert.Equal(
            [
                new InvoiceLine("half", "cnn", 3, 500, 2),             // 1.5 rounds up
                new InvoiceLine("pro", "cnn", 7, 500_000, 3_500),
                new InvoiceLine("pro", "cnn", 2, 600_001, 1_200),      // 1,200.002 rounds down
                new InvoiceLine("pro", "rnn", 1, 500_000, 500),
            ],
            invoice.Lines);
        Assert.Equal(5_202, invoice.TotalMicros);
        Assert.Equal(13, Ledger.BilledPredictions(half.Organization.Id, 2025, 3));
        Assert.Equal(invoice.Lines.Sum(l => l.Predictions), Ledger.BilledPredictions(half.Organization.Id, 2025, 3));
        Assert.Equal(new InvoiceLine("pro", "cnn", 5, 500_000, 2_500), Assert.Single(Ledger.Invoice(half.Organization.Id, 2025, 4).Lines));
    }

    [Fact]
    public void InvoiceOfAQuietMonthIsEmptyAndOfAnUnknownOrganizationIsRefused()
    {
        var acme = Organizations.Create("acme");

        var invoice = Ledger.Invoice(acme.Id, 2025, 2);

        Assert.Empty(invoice.Lines);
        Assert.Equal(0, invoice.TotalMicros);
        Assert.Throws<RegistryException>(() => Ledger.Invoice("nope", 2025, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ledger.Invoice(acme.Id, 2025, 13));
    }

    [Fact]
    public void UsageByDaySplitsAtMidnightUtc()
    {
        var cnn = NewCustomer("acme", Plans.Get("enterprise"));
        var rnn = NewCustomer("acme", Plans.Get("enterprise"), model: "rnn");
        var midnight = new DateTimeOffset(2025, 3, 15, 0, 0, 0, TimeSpan.Zero);
        Clock.SetUtcNow(midnight - TimeSpan.FromTicks(1));
        Ledger.Record([Request(cnn, "a", 2), Request(cnn, "b", 1), Request(rnn, "c", 4)]);
        Clock.SetUtcNow(midnight);
        Ledger.Record([Request(cnn, "d", 3)]);
        Clock.SetUtcNow(midnight.AddDays(1));
        Ledger.Record([Request(cnn, "e", 1)]);

        Assert.Equal(
            [
                new UsageDay(new DateOnly(2025, 3, 14), "cnn", 2, 3),
                new UsageDay(new DateOnly(2025, 3, 14), "rnn", 1, 4),
                new UsageDay(new DateOnly(2025, 3, 15), "cnn", 1, 3),
            ],
            Ledger.UsageByDay(cnn.Organization.Id, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 15)));
        Assert.Equal(
            [new UsageDay(new DateOnly(2025, 3, 15), "cnn", 1, 3), new UsageDay(new DateOnly(2025, 3, 16), "cnn", 1, 1)],
            Ledger.UsageByDay(cnn.Organization.Id, new DateOnly(2025, 3, 15), new DateOnly(2025, 3, 31)));
    }
}

public sealed class SqliteInvoiceTests() : InvoiceTests(new SqliteBackend());

public sealed class PostgresInvoiceTests() : InvoiceTests(new PostgresBackend());
