namespace Anvil.Client;

/// <summary>Where the server is, which key to use, and how patiently to retry.</summary>
public sealed record AnvilClientOptions
{
    /// <summary>The environment variable read when <see cref="ApiKey"/> is not given.</summary>
    public const string ApiKeyVariable = "ANVIL_API_KEY";

    /// <summary>The server, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The API key (<c>anvil_…</c>); null reads <see cref="ApiKeyVariable"/>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Retries after the first attempt, on 429, 503 and connection failures only. 0 turns retrying off.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The wait before the first retry; doubled for each next one (with jitter), unless the server sent Retry-After.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two attempts, Retry-After included.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The limit for one attempt; a timed-out attempt counts as a connection failure and is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the waits run on (tests may pass a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
