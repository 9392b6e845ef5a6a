using System.CommandLine;
using System.Globalization;
using Anvil.Serving.Api;

namespace Anvil.Cli.Commands;

/// <summary>`anvil usage --org NAME [--json]`: the current period's billed predictions, usage by day and the invoice.</summary>
internal static class UsageCommand
{
    public static Command Create(Registries registries)
    {
        var org = new Option<string>("--org") { Description = "Organization.", Required = true };
        var month = new Option<string?>("--month") { Description = "Billing month as YYYY-MM (default: the current one)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object; billed_predictions counts the period." };
        var command = new Command("usage", "Usage and the invoice of an organization for one month.") { org, month, json };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            var now = registries.Time.GetUtcNow();
            var period = p.GetValue(month) is { } text
                ? DateTimeOffset.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed
                    : throw new ArgumentException($"--month must look like 2026-11; got '{text}'.")
                : now;
            var ledger = registries.Ledger;
            var invoice = UsageEndpoint.Invoice(ledger, organization.Id, new DateTimeOffset(period.Year, period.Month, 1, 0, 0, 0, TimeSpan.Zero));
            var first = new DateOnly(period.Year, period.Month, 1);
            var days = ledger.UsageByDay(organization.Id, first, first.AddMonths(1).AddDays(-1));
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(new
                {
                    organization = organization.Name,
                    period = $"{period.Year:D4}-{period.Month:D2}",
                    billed_predictions = invoice.BilledPredictions,
                    total_micros = invoice.TotalMicros,
                    total_usd = invoice.TotalUsd,
                    days,
                    invoice,
                }));
                return ExitCodes.Success;
            }
            Console.WriteLine($"Organization '{organization.Name}', {period.Year:D4}-{period.Month:D2}: {invoice.BilledPredictions:N0} billed predictions, ${invoice.TotalUsd}");
            foreach (var day in days)
                Console.WriteLine($"  {day.Day:yyyy-MM-dd}  {day.ModelName,-24} {day.Requests,10:N0} requests {day.Predictions,10:N0} predictions");
            foreach (var line in invoice.Lines)
                Console.WriteLine($"  invoice: {line.Model,-24} plan {line.Plan,-12} {line.Predictions,10:N0} × ${line.PricePer1000Micros / 1e6m:0.00####}/1,000 = ${UsageEndpoint.Usd(line.AmountMicros)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
