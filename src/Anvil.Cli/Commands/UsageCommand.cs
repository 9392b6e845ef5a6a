using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Anvil.Serving.Api;

namespace Anvil.Cli.Commands;

/// <summary>`anvil usage --org NAME [--json]`: the current period's billed predictions, usage by day and the invoice.</summary>
internal static class UsageCommand
{
    public static Command Create(Registries registries)
    {
        var org = new Option<string>("--org") { Description = "Organization.", Required = true };
        var month = new Option<string?>("--month") { Description = "Billing month as YYYY-MM (default: the current one)." };
        var json = new Option<bool>("--json") { Description = "Print GET /v1/usage's JSON object for the month (organization, from, to, days, invoice), with billed_predictions on top." };
        var command = new Command("usage", "Usage and the invoice of an organization for one month.") { org, month, json };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.GetIncludingErased(p.GetValue(org)!); // an erased organization's invoices remain
            var now = registries.Time.GetUtcNow();
            var period = p.GetValue(month) is { } text
                ? DateTimeOffset.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed
                    : throw new ArgumentException($"--month must look like 2026-11; got '{text}'.")
                : now;
            var ledger = registries.Ledger;
            var invoice = ledger.Invoice(organization.Id, period.Year, period.Month);
            var first = new DateOnly(period.Year, period.Month, 1);
            var days = ledger.UsageByDay(organization.Id, first, first.AddMonths(1).AddDays(-1));
            if (p.GetValue(json))
            {
                // GET /v1/usage's object for the whole month (same field names), with the month's billed predictions on top.
                var response = new UsageResponse(organization.Name, first, first.AddMonths(1).AddDays(-1),
                    [.. days.Select(d => new UsageDayResponse(d.Day, d.ModelName, d.Requests, d.Predictions))], UsageEndpoint.Response(invoice));
                var fields = JsonSerializer.SerializeToNode(response, ApiJson.Options)!.AsObject();
                fields.Insert(1, "billed_predictions", invoice.Predictions);
                Console.WriteLine(fields.ToJsonString());
                return ExitCodes.Success;
            }
            Console.WriteLine($"Organization '{organization.Name}', {period.Year:D4}-{period.Month:D2}: {invoice.Predictions:N0} billed predictions, ${invoice.TotalUsd}");
            foreach (var day in days)
                Console.WriteLine($"  {day.Day:yyyy-MM-dd}  {day.ModelName,-24} {day.Requests,10:N0} requests {day.Predictions,10:N0} predictions");
            foreach (var line in invoice.Lines)
                Console.WriteLine($"  invoice: {line.ModelName,-24} plan {line.PlanName,-12} {line.Predictions,10:N0} × ${Money.Price(line.PricePer1000Micros)}/1,000 = ${Money.Usd(line.AmountMicros)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
