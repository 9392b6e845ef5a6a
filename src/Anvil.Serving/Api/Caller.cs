using Anvil.Registry;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>The authenticated API key of a request, its organization and its plan.</summary>
public sealed record Caller(ApiKey Key, Plan Plan)
{
    public string OrganizationId => Key.OrganizationId;

    public static Caller From(HttpContext context) =>
        context.Items[typeof(Caller)] as Caller
        ?? throw new InvalidOperationException("No caller: the endpoint is outside the authenticated /v1 routes.");
}

/// <summary>Endpoint metadata: the least role an API key needs to call the endpoint.</summary>
public sealed record RequiredRole(Role Role);
