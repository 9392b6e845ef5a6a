using Microsoft.AspNetCore.Http;

namespace Anvil.Dashboard.SignIn;

/// <summary>The request's live dashboard session, put in place by <see cref="SignedInFilter"/>.</summary>
public static class SignedIn
{
    public static WebSession? Find(HttpContext context) => context.Items[typeof(WebSession)] as WebSession;

    public static WebSession Get(HttpContext context) =>
        Find(context) ?? throw new InvalidOperationException("No dashboard session: the endpoint is outside the signed-in /ui routes.");
}
