using System.Globalization;
using Anvil.Registry;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>
/// GET /v1/feedback[?model=&amp;label=&amp;cursor=&amp;limit=]: the organization's feedback, newest first, in keyset pages.
/// A key scoped to some models names one of them with ?model=; another organization's feedback never appears.
/// </summary>
public static class FeedbackListEndpoint
{
    private const int DefaultLimit = 50;

    public static IResult Handle(HttpContext context, FeedbackPages pages, ModelCatalog catalog)
    {
        var caller = Caller.From(context);
        var query = context.Request.Query;
        var model = query["model"].ToString() is { Length: > 0 } m ? m : null;
        var label = query["label"].ToString() is { Length: > 0 } l ? l : null;
        var cursor = query["cursor"].ToString() is { Length: > 0 } c ? c : null;
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > FeedbackPages.MaxLimit))
            return Problems.Of(400, $"limit must be a whole number from 1 to {FeedbackPages.MaxLimit}; got '{text}'.");
        if (model is null && caller.Key.Models is { } scope)
            return Problems.Of(400, $"This key may use only {string.Join(", ", scope.Select(s => $"'{s}'"))}; name one with ?model=.");
        if (model is not null && (!caller.Key.MayUse(model) || catalog.Find(caller.OrganizationId, model) is null))
            return Problems.Of(404, $"Your organization has no model '{model}'. GET /v1/models lists the models this key may use.");
        try
        {
            var page = pages.Read(caller.OrganizationId, model, label, cursor, limit);
            var items = page.Items.Select(i => new FeedbackItemResponse(
                i.Feedback.PredictionId, i.ModelName, i.ModelVersion, i.PredictedLabelName, i.Feedback.LabelName, i.Feedback.Label, i.Feedback.Comment, i.Feedback.CreatedAt)).ToList();
            return Results.Json(new FeedbackListResponse(items, page.NextCursor), ApiJson.Options);
        }
        catch (ArgumentException e)
        {
            return Problems.Of(400, e.Message);
        }
    }
}
