using System.Globalization;
using Anvil.Registry;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>
/// GET /v1/usage[?from=YYYY-MM-DD&amp;to=YYYY-MM-DD]: the caller's usage by day and model, and the current
/// invoice. A key scoped to some models sees only those models' days and invoice lines.
/// </summary>
public static class UsageEndpoint
{
    public static IResult Handle(HttpContext context, UsageLedger ledger, TimeProvider time)
    {
        var caller = Caller.From(context);
        var now = time.GetUtcNow();
        var monthStart = new DateOnly(now.Year, now.Month, 1);
        if (!TryDay(context.Request.Query["from"], monthStart, out var from) || !TryDay(context.Request.Query["to"], DateOnly.FromDateTime(now.UtcDateTime), out var to))
            return Problems.Of(400, "from and to must be dates like 2026-11-01.");
        if (to == DateOnly.MaxValue)
            return Problems.Of(400, "to must be before 9999-12-31.");
        if (to < from || to.DayNumber - from.DayNumber > 366)
            return Problems.Of(400, $"The period {from:yyyy-MM-dd}..{to:yyyy-MM-dd} must run forwards and span at most 366 days.");

        var days = ledger.UsageByDay(caller.OrganizationId, from, to)
            .Where(d => caller.Key.MayUse(d.ModelName))
            .Select(d => new UsageDayResponse(d.Day, d.ModelName, d.Requests, d.Predictions))
            .ToList();
        return Results.Json(new UsageResponse(caller.Key.OrganizationName, from, to, days, Invoice(ledger, caller.Key, now)), ApiJson.Options);
    }

    private static InvoiceResponse Invoice(UsageLedger ledger, ApiKey key, DateTimeOffset now)
    {
        return Response(ledger.Invoice(key.OrganizationId, now.Year, now.Month).ScopedTo(key));
    }

    /// <summary>An invoice in the API's words; the CLI's <c>usage --json</c> prints the same object.</summary>
    public static InvoiceResponse Response(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var lines = invoice.Lines.Select(l => new InvoiceLineResponse(l.PlanName, l.ModelName, l.Predictions, l.PricePer1000Micros, l.AmountMicros)).ToList();
        return new InvoiceResponse(invoice.Year, invoice.Month, invoice.PeriodStart, invoice.PeriodEnd,
            invoice.Predictions, lines, invoice.TotalMicros, invoice.TotalUsd);
    }

    private static bool TryDay(string? text, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return string.IsNullOrEmpty(text) || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }
}
