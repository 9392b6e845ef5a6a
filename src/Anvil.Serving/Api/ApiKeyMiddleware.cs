using Anvil.Registry;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>
/// Every /v1 route, known or not, needs an API key (<c>Authorization: Bearer anvil_…</c> or
/// <c>X-Api-Key</c>). Missing, malformed, unknown, expired and revoked keys get 401 before any body is
/// read; a key whose role is below the endpoint's <see cref="RequiredRole"/> gets 403.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)) // routing ignores case, so must this
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var result = keys.Authenticate(Presented(context.Request));
        if (result.Status != AuthenticationStatus.Valid)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"anvil\"";
            await Problems.WriteAsync(context, 401, Explain(result.Status)).ConfigureAwait(false);
            return;
        }

        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>();
        if (required is not null && result.Key!.Role < required.Role)
        {
            await Problems.WriteAsync(context, 403,
                $"This API key has role '{RoleNames.ToText(result.Key.Role)}'; this route needs '{RoleNames.ToText(required.Role)}' or higher. Create a key with --role {RoleNames.ToText(required.Role)}.").ConfigureAwait(false);
            return;
        }

        context.Items[typeof(Caller)] = new Caller(result.Key!, result.Plan!);
        await next(context).ConfigureAwait(false);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header : null;
    }

    private static string Explain(AuthenticationStatus status) => status switch
    {
        AuthenticationStatus.Missing => "No API key. Send 'Authorization: Bearer <key>' (create one with ./anvil keys create).",
        AuthenticationStatus.Malformed => "The API key is malformed; Anvil keys look like anvil_<id>_<secret>.",
        AuthenticationStatus.Expired => "The API key has expired; create a new one with ./anvil keys create.",
        AuthenticationStatus.Revoked => "The API key was revoked; create a new one with ./anvil keys create.",
        _ => "The API key is not valid.",
    };
}
