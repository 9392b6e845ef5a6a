using System.Numerics.Tensors;
using System.Text.Json;
using Anvil.Serving.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Anvil.Bench;

/// <summary>
/// What a user would write instead of Anvil: a bare ASP.NET Core endpoint on the same
/// <see cref="OnnxPredictor"/> and the same model version — JSON <c>{"inputs": [...]}</c> in, label and
/// probabilities out — with no API key, no plan limits, no ledger, no prediction log and no batching.
/// bench/serve.sh drives it with wrk beside <c>./anvil serve</c>.
/// </summary>
internal static class BareEndpoint
{
    public static object Run(string versionDirectory, string url)
    {
        var version = RegisteredVersion.Open(versionDirectory);
        using var predictor = new OnnxPredictor(version, Environment.ProcessorCount);
        var labels = version.Manifest.Signature.ClassLabels;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/predict", async (HttpRequest request) =>
        {
            using var document = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
            var inputs = document.RootElement.GetProperty("inputs");
            var samples = new List<float>(inputs.GetArrayLength() * predictor.SampleSize);
            foreach (var sample in inputs.EnumerateArray())
                Flatten(sample, samples);
            var count = samples.Count / predictor.SampleSize;
            if (count == 0 || samples.Count != count * predictor.SampleSize)
                return Results.BadRequest($"each input must hold {predictor.SampleSize} numbers");
            var probabilities = new float[count * predictor.Outputs];
            predictor.Run(samples.ToArray(), count, probabilities); // ONNX Runtime sessions take concurrent runs
            var predictions = Enumerable.Range(0, count).Select(i =>
            {
                var row = probabilities.AsSpan(i * predictor.Outputs, predictor.Outputs);
                var best = TensorPrimitives.IndexOfMax(row);
                return new { label = labels[best], index = best, probabilities = row.ToArray() };
            }).ToList();
            return Results.Ok(new { predictions });
        });
        Console.Error.WriteLine($"bare endpoint on {url}/predict");
        app.Run();
        return new { contender = "bare-endpoint", stopped = true };
    }

    private static void Flatten(JsonElement element, List<float> into)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                Flatten(item, into);
        }
        else
        {
            into.Add(element.GetSingle());
        }
    }
}
