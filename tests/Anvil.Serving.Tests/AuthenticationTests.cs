using System.Net;
using Anvil.Registry;
using Anvil.Serving.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace Anvil.Serving.Tests;

/// <summary>Every /v1 route, for every kind of bad key: 401 before anything else happens.</summary>
public sealed class AuthenticationTests : ServedModelTest
{

    private IReadOnlyList<(string Method, string Path)> RouteTable()
    {
        var routes = Host.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]) // the fallback has no method
                .Select(method => (method, System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, "{[^}]+}", "fashion"))))
            .ToList();
        Assert.True(routes.Count >= 5, $"expected the whole /v1 route table, found {routes.Count} routes");
        return [.. routes, ("GET", "/v1/no-such-route")];
    }

    [Fact]
    public async Task MissingMalformedUnknownExpiredAndRevokedKeysGet401OnEveryRoute()
    {
        var expired = Host.CreateKey(Host.Acme, expiresAt: Host.Time.GetUtcNow().AddDays(1));
        var revoked = Host.CreateKey(Host.Acme);
        var valid = Host.CreateKey(Host.Acme);
        Host.Keys.Revoke(revoked);
        Host.Time.Advance(TimeSpan.FromDays(2));
        var wrongSecret = valid[..^4] + (valid[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var cases = new (string Name, string? Key)[]
        {
            ("missing", null), ("malformed", "not-a-key"), ("unknown", "anvil_abcdefghijkl_" + new string('x', 43)),
            ("wrong secret", wrongSecret), ("expired", expired), ("revoked", revoked),
        };
        foreach (var (method, path) in RouteTable())
        {
            foreach (var (name, key) in cases)
            {
                using var client = Host.Client(key);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Requests.Json(Requests.Image(1)) };
                using var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with a {name} key gave {(int)response.StatusCode}");
                Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
                var detail = await Requests.DetailAsync(response);
                Assert.DoesNotContain(valid, detail, StringComparison.Ordinal);
            }
        }

        using var ok = Host.Client(valid);
        Assert.Equal(HttpStatusCode.OK, (await ok.GetAsync("/v1/models")).StatusCode);
        using var unknownRoute = await ok.GetAsync("/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
        Assert.Contains("/openapi/v1.json", await Requests.DetailAsync(unknownRoute), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ViewerKeyCanReadButNotPredict()
    {
        using var viewer = Host.Client(Host.CreateKey(Host.Acme, role: Role.Viewer));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/usage")).StatusCode);
        using var response = await Requests.PredictAsync(viewer, Requests.Json(Requests.Image(1)));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("developer", await Requests.DetailAsync(response), StringComparison.Ordinal);
    }
}
