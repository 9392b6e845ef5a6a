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
        var session = SignedIn.Get(context);
        // A key scoped to some models sees only their feedback, as GET /v1/feedback shows it.
        var items = session.Models is null
            ? pages.Read(session.OrganizationId, null, null, null, Recent).Items
            : [.. session.Models.SelectMany(model => pages.Read(session.OrganizationId, model, null, null, Recent).Items)
                .OrderByDescending(item => item.Feedback.CreatedAt).ThenByDescending(item => item.Feedback.PredictionId, StringComparer.Ordinal).Take(Recent)];
        return Pages.Render<FeedbackPage>(context, new()
        {
            ["Tally"] = pages.Tally(session.OrganizationId, session.Models),
            ["Items"] = items,
        });
    });
}
