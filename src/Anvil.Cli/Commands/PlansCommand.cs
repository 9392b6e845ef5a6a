using System.CommandLine;
using System.Globalization;
using Anvil.Registry;
using Spectre.Console;

namespace Anvil.Cli.Commands;

/// <summary>`anvil plans list|set`: requests per minute, monthly quota and price of each plan.</summary>
internal static class PlansCommand
{
    public static Command Create(Registries registries)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON.", Recursive = true };
        var list = new Command("list", "List plans.");
        list.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var plans = registries.Plans.List();
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(plans));
                return ExitCodes.Success;
            }
            var table = new ConsoleTable(("plan", Justify.Left), ("requests/min", Justify.Right), ("monthly quota", Justify.Right), ("inputs/request", Justify.Right), ("USD per 1,000", Justify.Right));
            foreach (var plan in plans)
                table.Add(plan.Name, $"{plan.RequestsPerMinute:N0}", $"{plan.MonthlyQuota:N0}", $"{plan.MaxInputsPerRequest:N0}", Money.Price(plan.PricePer1000Micros));
            table.Write(Console.Out);
            return ExitCodes.Success;
        }));

        var name = new Argument<string>("name") { Description = "Plan name." };
        var rpm = new Option<int>("--rpm") { Description = "Requests per minute per key.", Required = true };
        var quota = new Option<long>("--monthly-quota") { Description = "Predictions per key per calendar month (UTC).", Required = true };
        var price = new Option<decimal>("--price-per-1000") { Description = "US dollars per 1,000 predictions, e.g. 0.50.", Required = true };
        var inputs = new Option<int>("--max-inputs") { Description = "Most inputs one predict request may carry (1 to 1,024).", DefaultValueFactory = _ => Plan.DefaultMaxInputsPerRequest };
        var set = new Command("set", "Create or change a plan; keys on it follow the new limits at once.") { name, rpm, quota, price, inputs };
        set.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var dollars = p.GetValue(price);
            if (dollars < 0 || dollars > 1_000_000)
                throw new ArgumentException($"--price-per-1000 must be between 0 and 1,000,000 dollars; got {dollars.ToString(CultureInfo.InvariantCulture)}.");
            var maxInputs = p.GetValue(inputs);
            if (maxInputs is < 1 or > Plan.DefaultMaxInputsPerRequest)
                throw new ArgumentException($"--max-inputs must be between 1 and {Plan.DefaultMaxInputsPerRequest:N0} (the server's own limit); got {maxInputs}.");
            var plan = registries.Plans.Save(new Plan(p.GetValue(name)!, p.GetValue(rpm), p.GetValue(quota), (long)decimal.Round(dollars * 1_000_000m)) { MaxInputsPerRequest = maxInputs });
            Console.WriteLine($"Plan '{plan.Name}': {plan.RequestsPerMinute:N0} requests/min, {plan.MonthlyQuota:N0} predictions/month, at most {plan.MaxInputsPerRequest:N0} inputs per request, ${Money.Price(plan.PricePer1000Micros)} per 1,000.");
            return ExitCodes.Success;
        }));

        var plans = new Command("plans", "Plans: rate limits, quotas and prices.") { list, set };
        plans.Options.Add(json);
        return plans;
    }
}
