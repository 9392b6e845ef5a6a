using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Client;

/// <summary>
/// A typed client for an Anvil server's <c>/v1</c> API.
/// <code>
/// using var anvil = new AnvilClient(new AnvilClientOptions { BaseAddress = new Uri("http://127.0.0.1:8080") }); // key from ANVIL_API_KEY
/// var answer = await anvil.PredictImagesAsync("fashion", [File.ReadAllBytes("shoe.png")]);
/// await anvil.SendFeedbackAsync(answer.Predictions[0].Id, "Sneaker");
/// </code>
/// Every call is retried on 429 (after the server's Retry-After), 503 and connection failures, never on
/// another 4xx; a predict call carries one Idempotency-Key across its retries, so it is billed once.
/// </summary>
public sealed class AnvilClient : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private readonly HttpClient _http;
    private readonly Retrier _retrier;

    public AnvilClient(AnvilClientOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.ApiKey ?? Environment.GetEnvironmentVariable(AnvilClientOptions.ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
            throw new ArgumentException($"No API key: pass AnvilClientOptions.ApiKey or set {AnvilClientOptions.ApiKeyVariable} (create one with ./anvil keys create --org ORG).", nameof(options));
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = options.BaseAddress;
        _http.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        _retrier = new Retrier(_http, options);
    }

    /// <summary>Predicts JSON inputs shaped as the model's signature: pixel arrays, feature vectors, named features or series windows.</summary>
    public Task<PredictResponse> PredictAsync(string model, IEnumerable<object> inputs, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return PredictWithAsync(model, options, () => JsonContent.Create(new { inputs }, options: Json), cancellationToken);
    }

    /// <summary>Predicts texts with a text model (tokenized by the served version's own vocabulary).</summary>
    public Task<PredictResponse> PredictTextsAsync(string model, IEnumerable<string> texts, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        PredictAsync(model, texts, options, cancellationToken);

    /// <summary>Predicts PNG or JPEG images: one is sent as the raw body, several as multipart files.</summary>
    public Task<PredictResponse> PredictImagesAsync(string model, IReadOnlyList<byte[]> images, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
            throw new ArgumentException("Give at least one image.", nameof(images));
        return PredictWithAsync(model, options, () => ImageContent.Create(images), cancellationToken);
    }

    /// <summary>
    /// <paramref name="count"/> images from a generator model, deterministic for a <paramref name="seed"/> and a version;
    /// each image is one billed prediction, and the call keeps one Idempotency-Key across its retries.
    /// </summary>
    public Task<GenerateResponse> GenerateAsync(string model, int count, long seed, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PredictOptions();
        var (path, key) = InferencePath(model, "generate", options);
        return _retrier.SendAsync<GenerateResponse>(HttpMethod.Post, path, () => JsonContent.Create(new { count, seed }, options: Json), key, cancellationToken);
    }

    public Task<IReadOnlyList<ModelSummary>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        _retrier.SendAsync<IReadOnlyList<ModelSummary>>(HttpMethod.Get, "/v1/models", null, null, cancellationToken);

    public Task<ModelDetail> GetModelAsync(string model, CancellationToken cancellationToken = default) =>
        _retrier.SendAsync<ModelDetail>(HttpMethod.Get, $"/v1/models/{Segment(model)}", null, null, cancellationToken);

    /// <summary>The correct label for a prediction, by class name; the latest feedback for a prediction wins.</summary>
    public Task<FeedbackResponse> SendFeedbackAsync(string predictionId, string label, string? comment = null, CancellationToken cancellationToken = default) =>
        FeedbackAsync(predictionId, label, comment, cancellationToken);

    /// <summary>The correct label for a prediction, by class index.</summary>
    public Task<FeedbackResponse> SendFeedbackAsync(string predictionId, int label, string? comment = null, CancellationToken cancellationToken = default) =>
        FeedbackAsync(predictionId, label, comment, cancellationToken);

    /// <summary>Feedback newest first, one page at a time, optionally of one model and one label.</summary>
    public Task<FeedbackPage> ListFeedbackAsync(string? model = null, string? label = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', new[] { ("model", model), ("label", label), ("cursor", cursor), ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
        return _retrier.SendAsync<FeedbackPage>(HttpMethod.Get, query.Length == 0 ? "/v1/feedback" : $"/v1/feedback?{query}", null, null, cancellationToken);
    }

    /// <summary>Usage by day and model from <paramref name="from"/> to <paramref name="to"/> (default: this month so far), and the current invoice.</summary>
    public Task<UsageResponse> GetUsageAsync(DateOnly? from = null, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', new[] { ("from", from), ("to", to) }.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={p.Item2:yyyy-MM-dd}"));
        return _retrier.SendAsync<UsageResponse>(HttpMethod.Get, query.Length == 0 ? "/v1/usage" : $"/v1/usage?{query}", null, null, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private Task<PredictResponse> PredictWithAsync(string model, PredictOptions? options, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        var (path, key) = InferencePath(model, "predict", options ?? new PredictOptions());
        return _retrier.SendAsync<PredictResponse>(HttpMethod.Post, path, content, key, cancellationToken);
    }

    /// <summary>The route with its version selector, and the call's Idempotency-Key (fresh unless given).</summary>
    private static (string Path, string Key) InferencePath(string model, string action, PredictOptions options)
    {
        if (options.Alias is not null && options.Version is not null)
            throw new ArgumentException("Give an alias or a version, not both.", nameof(options));
        var query = options.Alias is { } alias ? $"?alias={Uri.EscapeDataString(alias)}" : options.Version is { } version ? $"?version={version}" : "";
        return ($"/v1/models/{Segment(model)}/{action}{query}", options.IdempotencyKey ?? $"client-{Guid.CreateVersion7():N}");
    }

    private Task<FeedbackResponse> FeedbackAsync(string predictionId, object label, string? comment, CancellationToken cancellationToken) =>
        _retrier.SendAsync<FeedbackResponse>(
            HttpMethod.Post, $"/v1/predictions/{Segment(predictionId)}/feedback",
            () => JsonContent.Create(new { label, comment }, options: Json), null, cancellationToken);

    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }
}
