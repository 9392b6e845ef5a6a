using Anvil.Dashboard.SignIn;
using Microsoft.AspNetCore.Http;

namespace Anvil.Dashboard.Shared;

/// <summary>One request as the page frame sees it: who is signed in (null on the sign-in page) and the token its forms post.</summary>
public sealed record Visit(WebSession? Session, string FormToken, string Path)
{
    public bool MayAct => Session?.Role == Role.Owner;

    public static Visit Of(HttpContext context) => new(
        SignedIn.Find(context), Forms.Token(context), context.Request.Path.Value ?? DashboardApp.Root);
}
