using Anvil.Serving.Inference;
using Anvil.Serving.Inputs;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Anvil.Serving.Api;

/// <summary>
/// Reads a predict body (bounded) and parses it against the version's signature: JSON texts for a text
/// model, JSON samples (images, vectors, series windows), one raw image, or multipart image files. Inputs per
/// request are capped by the caller's plan.
/// </summary>
public static class PredictInputs
{
    public static async Task<ModelInput> ReadAsync(HttpContext context, LoadedModel model, Plan plan, ServingOptions options, DecodeGate decoders)
    {
        ArgumentNullException.ThrowIfNull(decoders);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var request = context.Request;
        var manifest = model.Manifest;
        var maxInputs = Math.Min(plan.MaxInputsPerRequest, options.MaxInputsPerRequest);
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (model.Tokenizer is { } tokenizer)
        {
            if (mediaType != "application/json")
                throw new InputException(415, $"Content-Type '{request.ContentType}' is not accepted; this model takes texts: send application/json {{\"inputs\": [\"text\", ...]}}.");
            var text = await RequestBody.ReadAsync(request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
            return await decoders.RunAsync(() => TextInputReader.Read(text, tokenizer, maxInputs), context.RequestAborted).ConfigureAwait(false);
        }

        if (mediaType is not ("application/json" or "image/png" or "image/jpeg" or "multipart/form-data"))
            throw new InputException(415, $"Content-Type '{request.ContentType}' is not accepted; send application/json {{\"inputs\": [...]}}, image/png, image/jpeg or multipart/form-data with image files.");
        var limits = new ImageLimits(options.MaxImagePixels, options.MaxRequestPixels);
        var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        switch (mediaType)
        {
            case "application/json":
                return JsonInputReader.Read(body, model.SampleShape, maxInputs, manifest.Preprocessing.Columns);
            case "image/png" or "image/jpeg":
                return await decoders.RunAsync(() => ImageInputReader.Read([body], manifest.Preprocessing, limits), context.RequestAborted).ConfigureAwait(false);
            default:
                var files = await MultipartFiles.ReadAsync(body, parsed!, Math.Min(maxInputs, options.MaxImagesPerRequest)).ConfigureAwait(false);
                return await decoders.RunAsync(() => ImageInputReader.Read(files, manifest.Preprocessing, limits), context.RequestAborted).ConfigureAwait(false);
        }
    }
}
