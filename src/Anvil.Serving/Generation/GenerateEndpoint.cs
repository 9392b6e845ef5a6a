using System.Text.Json;
using Anvil.Preprocessing.Images;
using Anvil.Registry.Predictions;
using Anvil.Registry.Versions;
using Anvil.Serving.Api;
using Anvil.Serving.Inference;
using Anvil.Serving.Inputs;
using Anvil.Serving.Metering;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Anvil.Serving.Generation;

/// <summary>
/// POST /v1/models/{name}/generate — a generator's images as base64 PNGs in JSON: <c>{"count": n, "seed": s}</c> in,
/// noise drawn on the server from the seed (<see cref="GeneratorNoise"/>), run by the version's ONNX graph, each image
/// one billed prediction, on the path every inference request takes (<see cref="InferenceRoute"/>): same keys, roles,
/// limits, idempotency and ledger as /predict. Only generators (output_kind "image") are served here.
/// </summary>
public static class GenerateEndpoint
{
    private const string PredictionPrefix = "pred_";

    public static Task<IResult> HandleAsync(
        string name,
        HttpContext context,
        ModelRouter router,
        UsageLedger ledger,
        UsageWriter usage,
        Admission admission,
        ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        int? chosenSeed = null;
        return InferenceRoute.HandleAsync(name, context, new InferenceServices(router, ledger, usage, admission), new InferenceKind(
            Refusal: (manifest, model) => manifest.OutputKind == ModelManifest.Image ? null
                : $"Model '{model}' is not a generator (its output_kind is \"{manifest.OutputKind}\"); only generators make images. Call POST /v1/models/{model}/predict with its inputs instead.",
            ReadAsync: async (loaded, plan) =>
            {
                var (input, seed) = await ReadAsync(context, loaded, Math.Min(plan.MaxInputsPerRequest, options.MaxInputsPerRequest), options.MaxBodyBytes).ConfigureAwait(false);
                chosenSeed = seed;
                return input;
            },
            Build: (requestId, version, loaded, input, outputs) => Build(requestId, version, loaded.Manifest, input, outputs, chosenSeed!.Value)));
    }

    private static async Task<(ModelInput Input, int Seed)> ReadAsync(HttpContext context, LoadedModel model, int maxCount, long maxBodyBytes)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.MediaType.Value != "application/json")
            throw new InputException(415, $"Content-Type '{request.ContentType}' is not accepted; send application/json {{\"count\": n, \"seed\": s}}.");
        var body = await RequestBody.ReadAsync(request, maxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        GenerateRequest? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<GenerateRequest>(body, GenerateJson.Options);
        }
        catch (JsonException e)
        {
            throw new InputException(400, $"The body is not {{\"count\": n, \"seed\": s}} with whole numbers: {e.Message}");
        }
        if (parsed is null)
            throw new InputException(400, "The body is empty; send {\"count\": n, \"seed\": s}.");
        if (parsed.Count < 1)
            throw new InputException(400, $"count must be 1 or more, got {parsed.Count}.");
        if (parsed.Count > maxCount)
            throw new InputException(413, $"count {parsed.Count:N0} is more than one request may generate: your plan and this server allow at most {maxCount:N0}. Split them across requests with different seeds.");
        if (parsed.Seed is < 0 or > int.MaxValue)
            throw new InputException(400, $"seed must be 0 to {int.MaxValue}, got {parsed.Seed}. Leave it out to let the server pick one.");
        var seed = (int)(parsed.Seed ?? Random.Shared.Next());
        var length = checked((int)model.SampleShape.Aggregate(1L, (a, b) => a * b)); // Z of the (Z, 1, 1) noise
        return (new ModelInput(GeneratorNoise.Sample(parsed.Count, length, seed), parsed.Count, length), seed);
    }

    private static (object Response, List<PredictionRecord> Records) Build(string requestId, ModelVersion version, ModelManifest manifest, ModelInput input, float[] outputs, int seed)
    {
        var shape = manifest.Signature.Outputs[0].Shape; // (-1, C, H, W)
        var (channels, height, width) = ((int)shape[1], (int)shape[2], (int)shape[3]);
        var size = channels * height * width;
        var images = new List<GeneratedImage>(input.Count);
        var records = new List<PredictionRecord>(input.Count);
        for (var i = 0; i < input.Count; i++)
        {
            var id = ServerIds.New(PredictionPrefix);
            var png = PngImages.Encode(outputs.AsSpan(i * size, size), channels, height, width);
            images.Add(new GeneratedImage(id, width, height, Convert.ToBase64String(png)));
            // The log keeps the noise that made the image (it and the version reproduce it), not the pixels.
            records.Add(new PredictionRecord(id, version.ModelName, version.Version, input.LoggedBytes(i), $"noise:{input.SampleSize}", -1, "", []));
        }
        return (new GenerateResponse(requestId, version.ModelName, version.Version, seed, "image/png", images), records);
    }
}
