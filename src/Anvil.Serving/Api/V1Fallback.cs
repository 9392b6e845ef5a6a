using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Serving.Api;

/// <summary>
/// Every /v1 request no endpoint took: 405 with an Allow header when the path is a route that takes other
/// methods (HEAD, OPTIONS, PUT, …), else a 404 that points at the OpenAPI document.
/// </summary>
public static class V1Fallback
{
    public static IResult Handle(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var allowed = AllowedMethods(context);
        if (allowed.Count > 0)
        {
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return Problems.Of(405, $"{context.Request.Path} takes {string.Join(" or ", allowed)}, not {context.Request.Method}.");
        }

        return Problems.Of(404, $"There is no route {context.Request.Method} {context.Request.Path}. The routes are listed in {ServingApp.OpenApiPath}.");
    }

    private static List<string> AllowedMethods(HttpContext context)
    {
        var path = context.Request.Path;
        return context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is { HttpMethods.Count: > 0 }
                && new TemplateMatcher(new RouteTemplate(e.RoutePattern), []).TryMatch(path, []))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
