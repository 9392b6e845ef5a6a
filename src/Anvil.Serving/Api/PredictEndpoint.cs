using Anvil.Registry.Predictions;
using Anvil.Registry.Versions;
using Anvil.Serving.Inference;
using Anvil.Serving.Inputs;
using Anvil.Serving.Metering;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>
/// POST /v1/models/{name}/predict — classifiers and forecasters: the body parsed against the version's signature
/// (JSON samples or texts, one raw image, or multipart images), one prediction per input, on the path every
/// inference request takes (<see cref="InferenceRoute"/>). Generators are served by <see cref="Generation.GenerateEndpoint"/>.
/// </summary>
public static class PredictEndpoint
{
    public const string IdempotencyHeader = InferenceRoute.IdempotencyHeader;
    public const string ReplayedHeader = InferenceRoute.ReplayedHeader;

    public static Task<IResult> HandleAsync(
        string name,
        HttpContext context,
        ModelRouter router,
        UsageLedger ledger,
        UsageWriter usage,
        Admission admission,
        DecodeGate decoders,
        ServingOptions options) =>
        InferenceRoute.HandleAsync(name, context, new InferenceServices(router, ledger, usage, admission), new InferenceKind(
            Refusal: (manifest, model) => manifest.OutputKind == ModelManifest.Image
                ? $"Model '{model}' is a generator (output_kind \"image\"): it takes no inputs. Call POST /v1/models/{model}/generate with {{\"count\": n, \"seed\": s}}."
                : null,
            ReadAsync: (loaded, plan) => PredictInputs.ReadAsync(context, loaded, plan, options, decoders),
            Build: (requestId, version, loaded, input, outputs) =>
            {
                var (response, records) = PredictResponses.Build(requestId, version, loaded.Manifest, input, loaded.SampleShape, outputs);
                return (response, records);
            }));
}
