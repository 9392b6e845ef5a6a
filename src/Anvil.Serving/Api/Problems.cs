using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>
/// RFC 9457 problem responses: a status and a detail that says what to fix; ASP.NET Core fills in
/// the standard title and type for the status.
/// </summary>
public static class Problems
{
    /// <summary>The detail of the 500 any route answers when its handler fails unexpectedly (the exception handler's).</summary>
    public const string ServerFailed = "The server failed to handle the request. Retry with the same Idempotency-Key: a prediction that was billed is answered again, never billed twice.";

    public static IResult Of(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    /// <summary>The same response, written from middleware that runs before any endpoint.</summary>
    public static Task WriteAsync(HttpContext context, int status, string detail) => Of(status, detail).ExecuteAsync(context);
}
