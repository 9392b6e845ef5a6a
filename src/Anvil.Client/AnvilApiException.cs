using System.Net;

namespace Anvil.Client;

/// <summary>
/// The server refused a request: its status and its problem+json detail, which says what to fix.
/// Subclasses name the cases a caller handles differently.
/// </summary>
public class AnvilApiException(HttpStatusCode status, string? title, string detail, string? requestId)
    : Exception($"{(int)status} {title ?? status.ToString()}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public string? Title { get; } = title;

    /// <summary>The server's explanation, e.g. "The image is 640x480; this model takes 28x28."</summary>
    public string Detail { get; } = detail;

    /// <summary>The Idempotency-Key the request was sent with, when it had one.</summary>
    public string? RequestId { get; } = requestId;
}

/// <summary>401: the key is missing, malformed, unknown, expired or revoked. Never retried.</summary>
public sealed class AnvilAuthenticationException(HttpStatusCode status, string? title, string detail, string? requestId)
    : AnvilApiException(status, title, detail, requestId);

/// <summary>403: the key's role or model scope does not allow this. Never retried.</summary>
public sealed class AnvilPermissionException(HttpStatusCode status, string? title, string detail, string? requestId)
    : AnvilApiException(status, title, detail, requestId);

/// <summary>404: no such model, version or prediction for this key's organization.</summary>
public sealed class AnvilNotFoundException(HttpStatusCode status, string? title, string detail, string? requestId)
    : AnvilApiException(status, title, detail, requestId);

/// <summary>400, 409, 413, 415, 422: the request itself is wrong; sending it again gives the same answer.</summary>
public sealed class AnvilInvalidRequestException(HttpStatusCode status, string? title, string detail, string? requestId)
    : AnvilApiException(status, title, detail, requestId);

/// <summary>429 after every retry: the rate limit or the monthly quota. <see cref="RetryAfter"/> says when to try again.</summary>
public sealed class AnvilRateLimitException(HttpStatusCode status, string? title, string detail, string? requestId, TimeSpan? retryAfter)
    : AnvilApiException(status, title, detail, requestId)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>503 or 5xx after every retry: the server is busy or failing.</summary>
public sealed class AnvilServerException(HttpStatusCode status, string? title, string detail, string? requestId)
    : AnvilApiException(status, title, detail, requestId);

/// <summary>The server could not be reached (refused, reset, timed out) on any attempt.</summary>
public sealed class AnvilConnectionException(string message, Exception inner) : Exception(message, inner);
