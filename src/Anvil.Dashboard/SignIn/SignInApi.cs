using Anvil.Dashboard.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Anvil.Dashboard.SignIn;

/// <summary>
/// GET/POST /ui/signin exchanges an API key for a session cookie; POST /ui/signout ends the session in the
/// database, so it is over on every replica. The key itself is never stored in the browser.
/// </summary>
internal static class SignInApi
{
    public static void Map(RouteGroupBuilder ui)
    {
        ui.MapGet("/signin", (HttpContext context) => Form(context, context.Request.Query.ContainsKey("expired")
            ? "Your session has ended (expired, signed out, or its key was revoked). Sign in again." : null, 200));
        ui.MapPost("/signin", SignInAsync);
        ui.MapPost("/signout", SignOutAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ApiKeys keys, WebSessions sessions)
    {
        if (!await Forms.IsValidAsync(context).ConfigureAwait(false))
            return Forms.Refused(context);
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        var result = keys.Authenticate(form["key"].ToString().Trim());
        if (!result.IsValid)
            return Form(context, Explain(result.Status), 401);

        var (token, session) = sessions.Open(result.Key!);
        SessionCookie.Write(context, token, session.ExpiresAt);
        return Results.Redirect($"{DashboardApp.Root}/runs");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, WebSessions sessions)
    {
        if (!await Forms.IsValidAsync(context).ConfigureAwait(false))
            return Forms.Refused(context);
        sessions.End(SessionCookie.Read(context));
        SessionCookie.Clear(context);
        return Results.Redirect($"{DashboardApp.Root}/signin");
    }

    private static RazorComponentResult Form(HttpContext context, string? error, int status) =>
        Pages.Render<SignInPage>(context, new() { ["Error"] = error }, status);

    private static string Explain(AuthenticationStatus status) => status switch
    {
        AuthenticationStatus.Missing => "Enter an API key (create one with ./anvil keys create).",
        AuthenticationStatus.Malformed => "That is not an API key: Anvil keys look like anvil_<id>_<secret>.",
        AuthenticationStatus.Expired => "That API key has expired; create a new one with ./anvil keys create.",
        AuthenticationStatus.Revoked => "That API key was revoked; create a new one with ./anvil keys create.",
        _ => "That API key is not valid. Check that you copied all of it.",
    };
}
