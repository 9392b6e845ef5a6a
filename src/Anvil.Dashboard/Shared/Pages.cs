using Microsoft.AspNetCore.Components;
using Anvil.Dashboard.SignIn;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Anvil.Dashboard.Shared;

/// <summary>Renders a page component with the request's <see cref="Visit"/> as its <c>Visit</c> parameter.</summary>
internal static class Pages
{
    public static RazorComponentResult Render<TPage>(HttpContext context, Dictionary<string, object?> parameters, int status = 200)
        where TPage : IComponent
    {
        // Cache-Control is no-store already: every page renders a form token, and antiforgery sets it for those.
        var headers = context.Response.Headers;
        // No script anywhere, so none may run; only our stylesheet and images; forms post only here; never framed.
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        parameters["Visit"] = Visit.Of(context);
        return new RazorComponentResult<TPage>(parameters) { StatusCode = status, PreventStreamingRendering = true };
    }

    public static RazorComponentResult Message(HttpContext context, int status, string title, string text) =>
        Render<MessagePage>(context, new() { ["Title"] = title, ["Text"] = text }, status);

    /// <summary>404 for what the organization does not have, whether it exists elsewhere or not: nothing is leaked.</summary>
    public static RazorComponentResult NotFound(HttpContext context, string what) =>
        Message(context, 404, "Not found", $"Your organization has no {what}.");

    public static RazorComponentResult Forbidden(HttpContext context, string action) =>
        Message(context, 403, "Not allowed",
            $"Only an owner may {action}; you signed in with a {RoleNames.ToText(SignedIn.Get(context).Role)} key. Nothing was changed.");
}
