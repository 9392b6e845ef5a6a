using Anvil.Dashboard.SignIn;
using Microsoft.AspNetCore.Http;

namespace Anvil.Dashboard.Tests;

/// <summary>The session cookie's attributes as ASP.NET Core writes them, over plain HTTP and over TLS.</summary>
public sealed class SessionCookieTests
{
    [Theory]
    [InlineData("http", false)]
    [InlineData("https", true)]
    public void TheCookieIsSecureExactlyWhenTheRequestCameOverTls(string scheme, bool secure)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;

        SessionCookie.Write(context, "token", new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));

        var header = context.Response.Headers.SetCookie.ToString();
        Assert.StartsWith("anvil_session=token;", header, StringComparison.Ordinal);
        Assert.Contains("path=/ui", header, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", header, StringComparison.Ordinal);
        Assert.Contains("httponly", header, StringComparison.Ordinal);
        Assert.Contains("expires=Tue, 01 Dec 2026 20:00:00 GMT", header, StringComparison.Ordinal);
        Assert.Equal(secure, header.Contains("secure", StringComparison.Ordinal));
    }
}
