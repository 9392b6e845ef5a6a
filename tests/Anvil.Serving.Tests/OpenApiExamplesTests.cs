using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Anvil.Serving.Tests.Support;
using Anvil.Training.Data;
using Anvil.Training.Models;
using SkiaSharp;

namespace Anvil.Serving.Tests;

/// <summary>
/// The served OpenAPI document is complete enough for client generators: every /v1 operation lists every problem its
/// handler can answer and has examples of its parameters, bodies and responses, and every request example is answered
/// by a real server as its response example says (the same fields).
/// </summary>
public sealed class OpenApiExamplesTests : ServedModelTest
{
    /// <summary>The problem statuses each handler can answer, read from the code (ApiKeyMiddleware, the endpoints, InputException; 500 from the exception handler).</summary>
    private static readonly Dictionary<string, int[]> ProblemsByOperation = new()
    {
        ["Predict"] = [400, 401, 403, 404, 413, 415, 422, 429, 500, 503],
        ["Generate"] = [400, 401, 403, 404, 413, 415, 422, 429, 500, 503],
        ["ListModels"] = [401, 500, 503],
        ["GetModel"] = [401, 404, 500, 503],
        ["AddFeedback"] = [400, 401, 403, 404, 413, 415, 422, 429, 500, 503],
        ["ListFeedback"] = [400, 401, 404, 500, 503],
        ["GetUsage"] = [400, 401, 500, 503],
    };

    /// <summary>The model each predict request example is written for, and the response example its answer looks like.</summary>
    private static readonly Dictionary<string, (string Model, string Response)> PredictExamples = new()
    {
        ["features"] = ("buyers", "classifier"),
        ["named_features"] = ("buyers", "classifier"),
        ["texts"] = ("spam", "text"),
        ["series"] = ("weather", "forecast"),
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        FeatureVersions.AddBuyers(Host);
        Host.Catalog.SetAlias(Host.Acme.Id, "buyers", "champion", 1); // as ./anvil register does
        SequenceVersions.AddText(Host);
        SequenceVersions.AddForecaster(Host);
        Host.AddVersion(Host.Acme, "dcgan", seed: 3, spec: Dcgan.Generator([1, 28, 28], 16));
    }

    [Fact]
    public async Task EveryV1OperationListsItsProblemsAndHasExamplesOfEveryParameterBodyAndResponse()
    {
        var operations = await OperationsAsync();
        Assert.Equal(ProblemsByOperation.Keys.Order(), operations.Keys.Order());
        foreach (var (id, operation) in operations)
        {
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            Assert.Equal(ProblemsByOperation[id], responses.Select(r => int.Parse(r.Name)).Where(s => s >= 400).Order());
            foreach (var response in responses)
            {
                foreach (var content in response.Value.GetProperty("content").EnumerateObject())
                {
                    if (int.Parse(response.Name) >= 400)
                    {
                        var problem = content.Value.GetProperty("example");
                        Assert.Equal(int.Parse(response.Name), problem.GetProperty("status").GetInt32());
                        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"{id} {response.Name}: the problem example has no detail");
                    }
                    else
                    {
                        Assert.True(content.Value.TryGetProperty("examples", out var examples) && examples.EnumerateObject().Any(), $"{id} {response.Name} has no example");
                        Assert.All(examples.EnumerateObject(), e => Assert.True(e.Value.TryGetProperty("value", out _), $"{id} {response.Name} example {e.Name} has no value"));
                    }
                }
            }

            foreach (var parameter in operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
                Assert.True(parameter.TryGetProperty("example", out _), $"{id}: parameter {parameter.GetProperty("name")} has no example");
            if (!operation.TryGetProperty("requestBody", out var body))
                continue;
            foreach (var content in body.GetProperty("content").EnumerateObject())
            {
                Assert.True(content.Value.TryGetProperty("examples", out var examples) && examples.EnumerateObject().Any(), $"{id} {content.Name} has no request example");
                var field = content.Name == "application/json" ? "value" : "description"; // bytes cannot be an example's value
                Assert.All(examples.EnumerateObject(), e => Assert.True(e.Value.TryGetProperty(field, out _), $"{id} {content.Name} example {e.Name} has no {field}"));
            }
        }
    }

    [Fact]
    public async Task EveryPredictExampleIsAnsweredWithTheFieldsOfItsResponseExample()
    {
        var predict = (await OperationsAsync())["Predict"];
        var json = predict.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        var answers = predict.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        Assert.Equal(PredictExamples.Keys.Order(), json.EnumerateObject().Select(e => e.Name).Order());
        foreach (var example in json.EnumerateObject())
        {
            var (model, answer) = PredictExamples[example.Name];
            using var response = await Requests.PredictAsync(Client, Requests.RawJson(example.Value.GetProperty("value").GetRawText()), model);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{example.Name}: {await response.Content.ReadAsStringAsync()}");
            AssertSameFields(answers.GetProperty(answer).GetProperty("value"), await Requests.ReadJsonAsync(response), example.Name);
        }

        // the parameters' examples: the alias with the Idempotency-Key, then the version
        var parameters = predict.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("example").ToString());
        var body = json.GetProperty("features").GetProperty("value").GetRawText();
        using var byAlias = await Requests.PredictAsync(Client, Requests.RawJson(body), parameters["name"], parameters["Idempotency-Key"], $"?alias={parameters["alias"]}");
        using var byVersion = await Requests.PredictAsync(Client, Requests.RawJson(body), parameters["name"], query: $"?version={parameters["version"]}");
        Assert.Equal(HttpStatusCode.OK, byAlias.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byVersion.StatusCode);
    }

    [Fact]
    public async Task TheImageExamplesPngJpegAndMultipartAreAnswered()
    {
        var content = (await OperationsAsync())["Predict"].GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["application/json", "image/jpeg", "image/png", "multipart/form-data"], content.EnumerateObject().Select(c => c.Name).Order());
        var png = PngFiles.Black(28, 28);
        using var bitmap = new SKBitmap(28, 28);
        var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
        using var form = new MultipartFormDataContent { { Bytes(png, "image/png"), "image", "shoe.png" }, { Bytes(jpeg, "image/jpeg"), "image", "bag.jpg" } };
        foreach (var (body, count) in new (HttpContent, int)[] { (Bytes(png, "image/png"), 1), (Bytes(jpeg, "image/jpeg"), 1), (form, 2) })
        {
            using var response = await Requests.PredictAsync(Client, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(count, (await Requests.ReadJsonAsync(response)).GetProperty("predictions").GetArrayLength());
        }
    }

    [Fact]
    public async Task TheGenerateFeedbackModelsAndUsageExamplesAreAnsweredWithTheFieldsOfTheirResponseExamples()
    {
        var operations = await OperationsAsync();

        var generate = operations["Generate"];
        using var generated = await Client.PostAsync("/v1/models/dcgan/generate", Requests.RawJson(RequestExample(generate, "seeded")));
        AssertSameFields(ResponseExample(generate, "200", "images"), await OkJsonAsync(generated), "generate");

        // feedback on a prediction of the model the examples name, once per request example
        using var predicted = await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": [[41, 52000]]}"""), "buyers");
        var id = (await OkJsonAsync(predicted)).GetProperty("predictions")[0].GetProperty("id").GetString();
        var feedback = operations["AddFeedback"];
        foreach (var example in feedback.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples").EnumerateObject())
        {
            using var stored = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson(example.Value.GetProperty("value").GetRawText()));
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            AssertSameFields(ResponseExample(feedback, "201", "stored"), await Requests.ReadJsonAsync(stored), example.Name);
        }

        var list = operations["ListFeedback"];
        var query = string.Join("&", list.GetProperty("parameters").EnumerateArray().Select(p => $"{p.GetProperty("name")}={Uri.EscapeDataString(p.GetProperty("example").ToString())}"));
        using var page = await Client.GetAsync($"/v1/feedback?{query.Replace("cursor=", "ignored=", StringComparison.Ordinal)}");
        AssertSameFields(ResponseExample(list, "200", "page"), await OkJsonAsync(page), "feedback list");
        using var next = await Client.GetAsync($"/v1/feedback?{query}"); // the example cursor is one the server accepts
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);

        using var models = await Client.GetAsync("/v1/models");
        var buyers = (await OkJsonAsync(models)).EnumerateArray().Single(m => m.GetProperty("name").GetString() == "buyers");
        AssertSameFields(ResponseExample(operations["ListModels"], "200", "models")[0], buyers, "models");
        using var model = await Client.GetAsync($"/v1/models/{operations["GetModel"].GetProperty("parameters")[0].GetProperty("example")}");
        AssertSameFields(ResponseExample(operations["GetModel"], "200", "model"), await OkJsonAsync(model), "model");

        var usage = operations["GetUsage"];
        var period = usage.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("example").GetString());
        using var used = await Client.GetAsync($"/v1/usage?from={period["from"]}&to={period["to"]}");
        AssertSameFields(ResponseExample(usage, "200", "usage"), await OkJsonAsync(used), "usage");
    }

    [Fact]
    public async Task ProblemExamplesCarryTheTypeAndTitleTheServerSends()
    {
        var predict = (await OperationsAsync())["Predict"].GetProperty("responses");
        using var anonymous = Host.Client();
        var cases = new (HttpResponseMessage Response, string Status)[]
        {
            (await anonymous.PostAsync("/v1/models/buyers/predict", Requests.RawJson("{}")), "401"),
            (await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": [[1, 2, 3]]}"""), "buyers"), "400"),
            (await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": [[1, 2]]}"""), "nothing"), "404"),
            (await Requests.PredictAsync(Client, new StringContent("hello"), "buyers"), "415"),
        };
        foreach (var (response, status) in cases)
        {
            using (response)
            {
                var served = await Requests.ReadJsonAsync(response);
                var example = predict.GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("example");
                Assert.Equal(status, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                foreach (var field in new[] { "type", "title", "status" })
                    Assert.Equal(served.GetProperty(field).ToString(), example.GetProperty(field).ToString());
            }
        }
    }

    [Fact]
    public async Task ADatabaseFailureNoHandlerExpectsIsTheDocumented503Problem()
    {
        var example = (await OperationsAsync())["ListModels"].GetProperty("responses").GetProperty("503")
            .GetProperty("content").GetProperty("application/problem+json").GetProperty("example");
        // the catalog's table disappears under the running server, as a damaged database makes it
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Host.Home.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE registered_models RENAME TO registered_models_gone;";
            command.ExecuteNonQuery();
        }

        using var response = await Client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // was the exception handler's 500
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var served = await Requests.ReadJsonAsync(response);
        foreach (var field in new[] { "type", "title", "status", "detail" })
            Assert.Equal(example.GetProperty(field).ToString(), served.GetProperty(field).ToString());
    }

    private async Task<Dictionary<string, JsonElement>> OperationsAsync()
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync(ServingApp.OpenApiPath)).RootElement;
        return document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject())
            .ToDictionary(operation => operation.Value.GetProperty("operationId").GetString()!, operation => operation.Value.Clone());
    }

    private static string RequestExample(JsonElement operation, string name) =>
        operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples").GetProperty(name).GetProperty("value").GetRawText();

    private static JsonElement ResponseExample(JsonElement operation, string status, string name) =>
        operation.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("examples").GetProperty(name).GetProperty("value");

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Requests.ReadJsonAsync(response);
    }

    private static ByteArrayContent Bytes(byte[] bytes, string mediaType) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };

    /// <summary>Every field the server sent is in the example, recursively into objects and the first item of arrays; maps keyed by class or metric are compared by kind only.</summary>
    private static void AssertSameFields(JsonElement example, JsonElement served, string what)
    {
        Assert.True(example.ValueKind == served.ValueKind, $"{what}: the example is {example.ValueKind}, the server sent {served.ValueKind}");
        if (example.ValueKind == JsonValueKind.Array && example.GetArrayLength() > 0 && served.GetArrayLength() > 0)
            AssertSameFields(example[0], served[0], what + "[0]");
        if (example.ValueKind != JsonValueKind.Object || what.EndsWith("probabilities", StringComparison.Ordinal) || what.EndsWith("metrics", StringComparison.Ordinal) || what.EndsWith("aliases", StringComparison.Ordinal))
            return;
        // every field the server sent is in the example; the example may also show a field left out when null (e.g. a comment)
        var fields = example.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.All(served.EnumerateObject(), p => Assert.True(fields.Contains(p.Name), $"{what}: the server sent '{p.Name}', which the example lacks"));
        foreach (var property in served.EnumerateObject())
            AssertSameFields(example.GetProperty(property.Name), property.Value, $"{what}.{property.Name}");
    }
}
