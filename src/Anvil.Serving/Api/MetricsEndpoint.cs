using System.Globalization;
using System.Net;
using System.Text;
using Anvil.Serving.Inference;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>
/// GET /metrics in Prometheus text format: batches and samples per loaded model version (their
/// ratio is the mean batch size). Answered only on loopback, for the operator and the benchmark.
/// </summary>
public static class MetricsEndpoint
{
    public static IResult Handle(HttpContext context, ModelRouter router)
    {
        if (context.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address))
            return Problems.Of(404, "Not found.");
        var text = new StringBuilder();
        text.AppendLine("# TYPE anvil_batches_total counter");
        text.AppendLine("# TYPE anvil_batch_samples_total counter");
        foreach (var model in router.LoadedModels)
        {
            var (batches, samples) = model.Batcher.Counters;
            var labels = $"{{organization=\"{model.Version.OrganizationId}\",model=\"{model.Version.ModelName}\",version=\"{model.Version.Version}\"}}";
            text.Append(CultureInfo.InvariantCulture, $"anvil_batches_total{labels} {batches}\n");
            text.Append(CultureInfo.InvariantCulture, $"anvil_batch_samples_total{labels} {samples}\n");
        }

        return Results.Text(text.ToString(), "text/plain; version=0.0.4", Encoding.UTF8);
    }
}
