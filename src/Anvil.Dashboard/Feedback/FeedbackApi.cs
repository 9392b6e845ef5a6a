using Anvil.Dashboard.Shared;
using Anvil.Dashboard.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Anvil.Dashboard.Feedback;

/// <summary>/ui/feedback: counts per model and label, and the newest items, read as <c>GET /v1/feedback</c> reads them.</summary>
internal static class FeedbackApi
{
    public const int Recent = 50;

    public static void Map(RouteGroupBuilder ui) => ui.MapGet("/feedback", (HttpContext context, FeedbackPages pages) =>
    {
        var organization = SignedIn.Get(context).OrganizationId;
        return Pages.Render<FeedbackPage>(context, new()
        {
            ["Tally"] = pages.Tally(organization),
            ["Items"] = pages.Read(organization, null, null, null, Recent).Items,
        });
    });
}
