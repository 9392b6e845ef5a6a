using Microsoft.AspNetCore.Http;

namespace Anvil.Dashboard.SignIn;

/// <summary>
/// Every /ui page but sign-in needs a live session: a missing, forged or expired cookie, a signed-out session
/// or a revoked key goes back to the sign-in form (303), before the endpoint reads or changes anything.
/// </summary>
internal sealed class SignedInFilter(WebSessions sessions) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var token = SessionCookie.Read(context);
        if (sessions.Find(token) is not { } session)
        {
            if (token is not null)
                SessionCookie.Clear(context);
            var reason = token is null ? "" : "?expired=1";
            return Results.Redirect($"{DashboardApp.Root}/signin{reason}", permanent: false, preserveMethod: false);
        }

        context.Items[typeof(WebSession)] = session;
        return await next(invocation).ConfigureAwait(false);
    }
}
