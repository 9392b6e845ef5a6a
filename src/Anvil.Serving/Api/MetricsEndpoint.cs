using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Anvil.Serving.Inference;
using Anvil.Serving.Metering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Serving.Api;

/// <summary>
/// GET /metrics in Prometheus text format: batches and samples per loaded session (their ratio is the
/// mean batch size), answered requests and predictions per organization, model and version, and the usage ledger's
/// group commits and the admission's writes with the seconds spent in them (how busy its one writer is). It names every
/// tenant's organization and models, so it is answered only on the operator's own listener
/// (<see cref="ServingOptions.MetricsUrls"/>) or, on the API's listener, to the operator's token
/// (<see cref="ServingOptions.MetricsToken"/>); otherwise it is 404.
/// A remote address proves nothing here: behind a reverse proxy on the same host every caller is local.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>Every URL the server listens on: the API's, then the metrics listener's.</summary>
    public static string Listeners(ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MetricsUrls is null)
            return options.Urls;
        var api = Ports(options.Urls);
        var metrics = Ports(options.MetricsUrls);
        if (metrics.Contains(0) || metrics.Overlaps(api))
            throw new ArgumentException($"--metrics-urls must name ports of its own, other than the API's ({options.Urls}); got {options.MetricsUrls}.");
        return options.Urls + ";" + options.MetricsUrls;
    }

    public static IResult Handle(HttpContext context, ModelRouter router, ServingOptions options, Admission admission, UsageWriter usage)
    {
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(usage);
        if (!OnMetricsListener(context, options) && !HoldsToken(context, options.MetricsToken))
            return Problems.Of(404, "Not found.");
        var text = new StringBuilder();
        // batches belong to a session, which every registration of the same files shares: labelled by digest, never by a tenant
        text.AppendLine("# TYPE anvil_batches_total counter");
        text.AppendLine("# TYPE anvil_batch_samples_total counter");
        foreach (var model in router.LoadedModels)
        {
            var (batches, samples) = model.Batcher.Counters;
            var labels = $"{{digest=\"{model.Version.ManifestDigest}\"}}";
            text.Append(CultureInfo.InvariantCulture, $"anvil_batches_total{labels} {batches}\n");
            text.Append(CultureInfo.InvariantCulture, $"anvil_batch_samples_total{labels} {samples}\n");
        }

        // answered requests and their inputs under each caller's own organization, model and version
        text.AppendLine("# TYPE anvil_requests_total counter");
        text.AppendLine("# TYPE anvil_predictions_total counter");
        foreach (var (organization, model, version, requests, predictions) in router.Traffic.Snapshot())
        {
            var labels = $"{{organization=\"{organization}\",model=\"{model}\",version=\"{version}\"}}";
            text.Append(CultureInfo.InvariantCulture, $"anvil_requests_total{labels} {requests}\n");
            text.Append(CultureInfo.InvariantCulture, $"anvil_predictions_total{labels} {predictions}\n");
        }

        // the ledger's writes, every tenant's together: the usage group commits (their rate of seconds is how busy the one
        // durable writer is) and the writes on the keys' counters before inference (reservations, refunds, counted bad requests)
        var (commits, committed, commitSeconds) = usage.Counters;
        var (writes, writeSeconds) = admission.Counters;
        Counter(text, "anvil_usage_commits_total", commits);
        Counter(text, "anvil_usage_committed_requests_total", committed);
        Counter(text, "anvil_usage_commit_seconds_total", commitSeconds);
        Counter(text, "anvil_admission_writes_total", writes);
        Counter(text, "anvil_admission_write_seconds_total", writeSeconds);

        return Results.Text(text.ToString(), "text/plain; version=0.0.4", Encoding.UTF8);
    }

    /// <summary>One unlabelled counter: its type line and its value (a count or seconds, both shortest round-trip).</summary>
    private static void Counter(StringBuilder text, string name, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# TYPE {name} counter\n{name} {value:R}\n");

    /// <summary>
    /// Middleware: the metrics listener answers /metrics and /healthz only. It is the operator's port,
    /// often exposed to a scraper's network where the API is not, so the API's routes are 404 there.
    /// </summary>
    public static Task OnlyMetricsOnItsListener(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var options = context.RequestServices.GetRequiredService<ServingOptions>();
        if (OnMetricsListener(context, options) && context.Request.Path.Value is not ("/metrics" or "/healthz"))
            return Problems.WriteAsync(context, 404, "The metrics listener serves /metrics and /healthz only; send API requests to the API's address (--urls).");
        return next(context);
    }

    // The port the connection arrived on, never the Host header (which the client writes).
    private static bool OnMetricsListener(HttpContext context, ServingOptions options) =>
        options.MetricsUrls is not null && Ports(options.MetricsUrls).Contains(context.Connection.LocalPort);

    private static bool HoldsToken(HttpContext context, string? token)
    {
        if (string.IsNullOrEmpty(token))
            return false;
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token))); // equal lengths: the time says nothing
    }

    private static HashSet<int> Ports(string urls) => urls
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(url => Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Port
            : throw new ArgumentException($"'{url}' is not a URL to listen on; use e.g. http://127.0.0.1:9464."))
        .ToHashSet();
}
