using System.Text.Json.Nodes;
using Anvil.Preprocessing.Images;
using Anvil.Registry.Versions;
using Anvil.Serving.Generation;
using Microsoft.OpenApi;

namespace Anvil.Serving.Api;

/// <summary>
/// The examples of every /v1 operation in the OpenAPI document. Responses are the API's own records serialized as the
/// server serializes them, so an example cannot name a field the server does not send. The models they call are
/// "buyers" (named features age and income, classes no and yes, from a CSV file), "spam" (texts), "weather" (72 hourly
/// values in, 24 out), "fashion" (28×28 grey images) and "dcgan" (a generator); a test sends every request example to
/// a real server holding such models.
/// </summary>
public static class ApiExamples
{
    private const string Json = "application/json";
    private const string RequestId = "req_019ad4c2e6f87a3b9c1d2e3f40516273";
    private const string PredictionId = "pred_019ad4c2e6f87b0c8d9e0f1a2b3c4d5e";
    private static readonly DateTimeOffset Created = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, JsonNode> Selectors = new()
    {
        ["alias"] = "champion",
        ["version"] = 1,
        [PredictEndpoint.IdempotencyHeader] = "6f1c2d3e-4b5a-4c7d-9e8f-0a1b2c3d4e5f",
    };

    public static OperationExamples Predict { get; } = new()
    {
        Parameters = new Dictionary<string, JsonNode>(Selectors) { ["name"] = "buyers" },
        Requests = new Dictionary<string, IReadOnlyDictionary<string, OpenApiExample>>
        {
            [Json] = new Dictionary<string, OpenApiExample>
            {
                ["features"] = OpenApiExamples.Of("Feature vectors shaped as the signature (model buyers: age, income)", new { inputs = new[] { new[] { 41.0, 52_000 }, [29, 31_500] } }),
                ["named_features"] = OpenApiExamples.Of("Named features of a model trained on a CSV file; null gets training's fill", new { inputs = new object[] { new { age = 41, income = 52_000 }, new { age = (int?)null, income = 90_000 } } }),
                ["texts"] = OpenApiExamples.Of("Texts for a text model (input_kind \"tokens\", model spam)", new { inputs = new[] { "Win a FREE cruise now!", "lunch at noon?" } }),
                ["series"] = OpenApiExamples.Of("One window of preprocessing.sequence_length = 72 hourly values for a forecaster (model weather)", new { inputs = new[] { Window() } }),
            },
            ["image/png"] = new Dictionary<string, OpenApiExample>
            {
                ["image"] = OpenApiExamples.Binary("One PNG image as the body (model fashion)", "curl -H \"Authorization: Bearer $KEY\" -H 'Content-Type: image/png' --data-binary @shoe.png http://127.0.0.1:8080/v1/models/fashion/predict"),
            },
            ["image/jpeg"] = new Dictionary<string, OpenApiExample>
            {
                ["image"] = OpenApiExamples.Binary("One JPEG image as the body (model fashion)", "curl -H \"Authorization: Bearer $KEY\" -H 'Content-Type: image/jpeg' --data-binary @shoe.jpg http://127.0.0.1:8080/v1/models/fashion/predict"),
            },
            ["multipart/form-data"] = new Dictionary<string, OpenApiExample>
            {
                ["images"] = OpenApiExamples.Binary("Several PNG or JPEG images as form files, one prediction each in order (model fashion)", "curl -H \"Authorization: Bearer $KEY\" -F image=@shoe.png -F image=@bag.jpg http://127.0.0.1:8080/v1/models/fashion/predict"),
            },
        },
        Response = new Dictionary<string, OpenApiExample>
        {
            ["classifier"] = OpenApiExamples.Of("A classifier's answer: label, label_index and every class's probability", new PredictResponse(RequestId, "buyers", 1,
                [new PredictionResult { Id = PredictionId, Label = "yes", LabelIndex = 1, Probabilities = new Dictionary<string, float> { ["no"] = 0.27f, ["yes"] = 0.73f }, Version = 1 }])),
            ["text"] = OpenApiExamples.Of("A text model's answer says whether the text was truncated", new PredictResponse(RequestId, "spam", 1,
                [new PredictionResult { Id = PredictionId, Label = "spam", LabelIndex = 1, Probabilities = new Dictionary<string, float> { ["ham"] = 0.08f, ["spam"] = 0.92f }, Truncated = false, Version = 1 }])),
            ["forecast"] = OpenApiExamples.Of("A forecaster's answer: 24 values in the targets' unit", new PredictResponse(RequestId, "weather", 1,
                [new PredictionResult { Id = PredictionId, Forecast = [.. Window().Take(24).Select(v => (float)v)], Version = 1 }])),
        },
        Problems = new Dictionary<int, string>
        {
            [400] = "inputs[0] has more than 2 items; the signature is [2].",
            [413] = "More than 256 inputs in one request: your plan and this server allow at most 256. Split them across requests.",
            [415] = "Content-Type 'text/plain' is not accepted; send application/json {\"inputs\": [...]}, image/png, image/jpeg or multipart/form-data.",
            [422] = "inputs[0] holds no words, only control or formatting characters; send text with at least one word.",
            [429] = "Plan 'free' allows 60 requests per minute; retry in 12 s.",
            [503] = InferenceRoute.QueueFullProblem,
        },
    };

    public static OperationExamples Generate { get; } = new()
    {
        Parameters = new Dictionary<string, JsonNode>(Selectors) { ["name"] = "dcgan" },
        Requests = new Dictionary<string, IReadOnlyDictionary<string, OpenApiExample>>
        {
            [Json] = new Dictionary<string, OpenApiExample> { ["seeded"] = OpenApiExamples.Of("Two images from seed 7 (the same seed gives the same images)", new GenerateRequest(2, 7)) },
        },
        Response = new Dictionary<string, OpenApiExample>
        {
            ["images"] = OpenApiExamples.Of("PNGs, base64-encoded (one shown)", new GenerateResponse(RequestId, "dcgan", 1, 7, "image/png",
                [new GeneratedImage(PredictionId, 4, 4, Convert.ToBase64String(PngImages.Encode(Enumerable.Range(0, 16).Select(i => i / 15f).ToArray(), 1, 4, 4)))])),
        },
        Problems = new Dictionary<int, string>
        {
            [400] = "Model 'buyers' is not a generator (its output_kind is \"probabilities\"); only generators make images. Call POST /v1/models/buyers/predict with its inputs instead.",
            [413] = "count 300 is more than one request may generate: your plan and this server allow at most 256. Split them across requests with different seeds.",
            [415] = "Content-Type 'text/plain' is not accepted; send application/json {\"count\": n, \"seed\": s}.",
            [503] = InferenceRoute.QueueFullProblem,
        },
    };

    public static OperationExamples ListModels { get; } = new()
    {
        Response = new Dictionary<string, OpenApiExample> { ["models"] = OpenApiExamples.Of("One model trained on a CSV file", new[] { Buyers() }) },
    };

    public static OperationExamples GetModel { get; } = new()
    {
        Parameters = new Dictionary<string, JsonNode> { ["name"] = "buyers" },
        Response = new Dictionary<string, OpenApiExample>
        {
            ["model"] = OpenApiExamples.Of("A model and its versions", new ModelDetail(Buyers(),
                [new VersionSummary(1, "3f2a9c0e5b7d41e8a6c2f0d9b8e7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9", "01a22e65a91773f59a6e45999b671899", Created, new Dictionary<string, double> { ["test_accuracy"] = 0.87 })])),
        },
        Problems = new Dictionary<int, string> { [503] = "A version of model 'buyers' failed signature or digest verification. The operator must register it again." },
    };

    public static OperationExamples AddFeedback { get; } = new()
    {
        Parameters = new Dictionary<string, JsonNode> { ["id"] = PredictionId },
        Requests = new Dictionary<string, IReadOnlyDictionary<string, OpenApiExample>>
        {
            [Json] = new Dictionary<string, OpenApiExample>
            {
                ["by_name"] = OpenApiExamples.Of("The correct class by name, with a comment", new { label = "no", comment = "The customer did not buy." }),
                ["by_index"] = OpenApiExamples.Of("The correct class by its index in class_labels", new { label = 0 }),
            },
        },
        Response = new Dictionary<string, OpenApiExample>
        {
            ["stored"] = OpenApiExamples.Of("Feedback as stored", new FeedbackResponse(PredictionId, 0, "no", "The customer did not buy.", Created)),
        },
        Problems = new Dictionary<int, string>
        {
            [400] = "label must be one of the model's classes (\"no\", \"yes\") or an index from 0 to 1; got \"maybe\".",
            [404] = $"Your organization has no prediction '{PredictionId}'. Logged predictions are kept for their model's retention period (see ./anvil models log-policy), then pruned.",
            [413] = "The body is 20,000 bytes; the limit is 16,384 bytes. Send fewer inputs per request or smaller images.",
            [415] = "Send feedback as JSON with the header 'Content-Type: application/json'.",
            [422] = $"Prediction '{PredictionId}' is a forecast of model 'weather'; feedback names a class, and a forecaster has none, so its predictions take no feedback.",
            [503] = FeedbackEndpoint.UnconfirmedProblem,
        },
    };

    public static OperationExamples ListFeedback { get; } = new()
    {
        Parameters = new Dictionary<string, JsonNode> { ["model"] = "buyers", ["label"] = "no", ["limit"] = 50, ["cursor"] = FeedbackPages.Cursor(Created, PredictionId) },
        Response = new Dictionary<string, OpenApiExample>
        {
            ["page"] = OpenApiExamples.Of("The last page (no next_cursor)", new FeedbackListResponse(
                [new FeedbackItemResponse(PredictionId, "buyers", 1, "yes", "no", 0, "The customer did not buy.", Created)], null)),
        },
        Problems = new Dictionary<int, string> { [400] = "limit must be a whole number from 1 to 500; got '9000'." },
    };

    public static OperationExamples GetUsage { get; } = new()
    {
        Parameters = new Dictionary<string, JsonNode> { ["from"] = "2026-11-01", ["to"] = "2026-11-30" },
        Response = new Dictionary<string, OpenApiExample>
        {
            ["usage"] = OpenApiExamples.Of("November's usage and invoice on the pro plan", new UsageResponse("acme", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30),
                [new UsageDayResponse(new DateOnly(2026, 11, 28), "buyers", 12, 40)],
                new InvoiceResponse(2026, 11, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), 40,
                    [new InvoiceLineResponse("pro", "buyers", 40, 500_000, 20_000)], 20_000, "0.02"))),
        },
        Problems = new Dictionary<int, string> { [400] = "from and to must be dates like 2026-11-01." },
    };

    /// <summary>72 hourly temperatures around 11 °C: a day-long sine, rounded to tenths.</summary>
    private static double[] Window() => [.. Enumerable.Range(0, 72).Select(h => Math.Round(11 + 5 * Math.Sin(h * Math.PI / 12), 1))];

    private static ModelSummary Buyers() => new("buyers", 1, new Dictionary<string, int> { ["champion"] = 1 }, 1, "mlp", "features", ModelManifest.Probabilities,
        new ModelSignature
        {
            Inputs = [new TensorSignature("input", "float32", [-1, 2])],
            Outputs = [new TensorSignature("probabilities", "float32", [-1, 2])],
            ClassLabels = ["no", "yes"],
        },
        new ModelPreprocessing
        {
            Kind = "features",
            Columns = [new ModelColumn("age", 38.5, null, null), new ModelColumn("income", null, 0, 250_000)],
            Mean = [40f, 60_000f],
            Std = [12f, 30_000f],
            FoldedIntoGraph = true,
        },
        Created);
}
