using Microsoft.AspNetCore.Http;

namespace Anvil.Dashboard.SignIn;

/// <summary>The session cookie: HttpOnly, SameSite=Strict, only under /ui, Secure whenever the request came over TLS.</summary>
internal static class SessionCookie
{
    public const string Name = "anvil_session";

    public static string? Read(HttpContext context) => context.Request.Cookies[Name];

    public static void Write(HttpContext context, string token, DateTimeOffset expires) =>
        context.Response.Cookies.Append(Name, token, Options(context, expires));

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(Name, Options(context, null));

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = DashboardApp.Root,
        Expires = expires,
        IsEssential = true,
    };
}
