using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Anvil.Client;

/// <summary>
/// Sends one logical call: attempts until an answer that is not 429 or 503, or until the retries run out,
/// waiting Retry-After when the server sends one and an exponential backoff with jitter otherwise. The body
/// is built afresh for each attempt and the Idempotency-Key stays the same.
/// </summary>
internal sealed class Retrier(HttpClient http, AnvilClientOptions options)
{
    public async Task<T> SendAsync<T>(HttpMethod method, string path, Func<HttpContent>? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt >= options.MaxRetries;
            TimeSpan? wait;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(options.AttemptTimeout);
                try
                {
                    using var request = new HttpRequestMessage(method, path) { Content = body?.Invoke() };
                    if (idempotencyKey is not null)
                        request.Headers.Add("Idempotency-Key", idempotencyKey);
                    using var response = await http.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                        return (await response.Content.ReadFromJsonAsync<T>(AnvilClient.Json, cancellationToken).ConfigureAwait(false))!;
                    var retryAfter = RetryAfter(response);
                    if (last || !Retryable(response.StatusCode))
                        throw await ErrorAsync(response, idempotencyKey, retryAfter, cancellationToken).ConfigureAwait(false);
                    wait = retryAfter;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException)
                {
                    if (last)
                        throw new AnvilConnectionException($"{options.BaseAddress} did not answer {method} {path} in {attempt + 1} attempts: {e.Message}", e);
                    wait = null; // refused, reset or timed out: the server may be restarting
                }
            }

            await Task.Delay(Backoff(attempt, wait), options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Retryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = options.InitialBackoff * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble() / 2); // "equal jitter"
        var wait = retryAfter ?? exponential;
        return wait > options.MaxBackoff ? options.MaxBackoff : wait;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private static async Task<AnvilApiException> ErrorAsync(HttpResponseMessage response, string? requestId, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        string? title = null;
        var detail = $"the server answered {(int)status} without an explanation";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
                detail = problem.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { } text ? text : detail;
            }
        }
        catch (JsonException)
        {
            // not problem+json (a proxy's page): keep the status alone
        }

        return (int)status switch
        {
            401 => new AnvilAuthenticationException(status, title, detail, requestId),
            403 => new AnvilPermissionException(status, title, detail, requestId),
            404 => new AnvilNotFoundException(status, title, detail, requestId),
            429 => new AnvilRateLimitException(status, title, detail, requestId, retryAfter),
            >= 500 => new AnvilServerException(status, title, detail, requestId),
            _ => new AnvilInvalidRequestException(status, title, detail, requestId),
        };
    }
}
