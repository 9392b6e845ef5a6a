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

    /// <summary>
    /// The detail of the 503 any route answers when the database fails outside the paths that say more (predict, generate and
    /// feedback): a full disk, PostgreSQL unreachable, or a commit whose connection was lost, which may have been saved.
    /// </summary>
    public const string DatabaseUnavailable = "The server's database cannot be used right now (the disk may be full or the database unreachable; the server's log says which). Retry in a few seconds: a change this request asked for may or may not have been saved.";

    public static IResult Of(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    /// <summary>The same response, written from middleware that runs before any endpoint.</summary>
    public static Task WriteAsync(HttpContext context, int status, string detail) => Of(status, detail).ExecuteAsync(context);
}
