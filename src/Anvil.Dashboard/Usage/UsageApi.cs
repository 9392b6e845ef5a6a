using Anvil.Dashboard.Shared;
using Anvil.Dashboard.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Anvil.Dashboard.Usage;

/// <summary>
/// /ui/usage: the last 30 days' requests and predictions by day, this month's invoice as <c>GET /v1/usage</c>
/// shows it to the signed-in key, and how close that key is to its plan's limits.
/// </summary>
internal static class UsageApi
{
    public const int Days = 30;

    public static void Map(RouteGroupBuilder ui) => ui.MapGet("/usage", Show);

    private static RazorComponentResult Show(HttpContext context, UsageLedger ledger, ApiKeys keys, TimeProvider time)
    {
        var session = SignedIn.Get(context);
        if (keys.Find(session.OrganizationId, session.KeyId) is not var (key, plan))
            return Pages.NotFound(context, "such key"); // revoked between the filter and here
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var from = today.AddDays(1 - Days);
        var byDay = ledger.UsageByDay(session.OrganizationId, from, today).Where(d => key.MayUse(d.ModelName)).ToList();
        var days = Enumerable.Range(0, Days).Select(from.AddDays)
            .Select(day => new UsageDay(day, "", byDay.Where(d => d.Day == day).Sum(d => d.Requests), byDay.Where(d => d.Day == day).Sum(d => d.Predictions)))
            .ToList();
        return Pages.Render<UsagePage>(context, new()
        {
            ["Days"] = days,
            ["Invoice"] = ledger.Invoice(session.OrganizationId, now.Year, now.Month).ScopedTo(key),
            ["Plan"] = plan,
            ["Used"] = ledger.Used(key),
        });
    }
}
