using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Anvil.Serving.Api;

/// <summary>
/// Writes an operation's examples into the OpenAPI document, after its body, parameters and responses are documented:
/// every problem response gets a problem+json example shaped as the server writes it (type and title of its status).
/// </summary>
public static class OpenApiExamples
{
    private const string ProblemMediaType = "application/problem+json";

    /// <summary>Details the server sends for each status, used where an operation names none of its own.</summary>
    private static readonly Dictionary<int, string> DefaultProblems = new()
    {
        [400] = "The request is malformed.",
        [401] = "No API key. Send 'Authorization: Bearer <key>' (create one with ./anvil keys create).",
        [403] = "This API key has role 'viewer'; this route needs 'developer' or higher. Create a key with --role developer.",
        [404] = "Your organization has no model 'buyers'. GET /v1/models lists the models this key may use.",
        [413] = "The body is 20,000,000 bytes; the limit is 16,777,216 bytes. Send fewer inputs per request or smaller images.",
        [415] = "Content-Type 'text/plain' is not accepted; send application/json.",
        [422] = "This Idempotency-Key was already used for a different request; use a new key for a new request.",
        [429] = "Plan 'free' allows 60 requests per minute; retry in 12 s.",
        [500] = Problems.ServerFailed,
        [503] = Problems.DatabaseUnavailable,
    };

    public static RouteHandlerBuilder DocumentExamples(this RouteHandlerBuilder endpoint, OperationExamples examples) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (examples.Parameters.TryGetValue(parameter.Name!, out var value))
                    parameter.Example = value.DeepClone();
            }

            foreach (var (mediaType, content) in operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                if (examples.Requests.TryGetValue(mediaType, out var named))
                    content.Examples = named.ToDictionary(e => e.Key, e => (IOpenApiExample)e.Value);
            }

            foreach (var (status, response) in operation.Responses ?? [])
            {
                var code = int.Parse(status, System.Globalization.CultureInfo.InvariantCulture);
                foreach (var (mediaType, content) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
                {
                    if (code >= 400 && mediaType == ProblemMediaType)
                        content.Example = Problem(code, examples.Problems.GetValueOrDefault(code) ?? DefaultProblems.GetValueOrDefault(code) ?? "");
                    else if (code < 400)
                        content.Examples = examples.Response.ToDictionary(e => e.Key, e => (IOpenApiExample)e.Value);
                }
            }

            return Task.CompletedTask;
        });

    /// <summary>A problem as <see cref="Problems.Of"/> writes it: ASP.NET Core's type and title for the status, and the detail.</summary>
    public static JsonObject Problem(int status, string detail)
    {
        var problem = TypedResults.Problem(detail: detail, statusCode: status).ProblemDetails;
        var json = new JsonObject();
        if (problem.Type is not null)
            json["type"] = problem.Type;
        if (problem.Title is not null)
            json["title"] = problem.Title;
        json["status"] = status;
        json["detail"] = detail;
        return json;
    }

    /// <summary>One named example whose value is <paramref name="value"/> in the API's JSON style.</summary>
    public static OpenApiExample Of(string summary, object value) =>
        new() { Summary = summary, Value = System.Text.Json.JsonSerializer.SerializeToNode(value, ApiJson.Options) };

    /// <summary>An example of a binary body: no value can hold its bytes, so the description shows how to send it.</summary>
    public static OpenApiExample Binary(string summary, string description) => new() { Summary = summary, Description = description };
}
