using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>RFC 9457 problem responses: a status, a short title and a detail that says what to fix.</summary>
public static class Problems
{
    public static IResult Of(int status, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: Title(status), extensions: extensions);

    public static Task WriteAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new { type = "about:blank", title = Title(status), status, detail },
            ApiJson.Options,
            contentType: "application/problem+json");
    }

    public static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Unprocessable content",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Error",
    };
}
