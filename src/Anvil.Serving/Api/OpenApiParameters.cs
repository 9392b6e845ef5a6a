using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace Anvil.Serving.Api;

/// <summary>
/// Documents what the inference routes read outside their body — <c>?alias=</c>, <c>?version=</c> and the
/// <c>Idempotency-Key</c> header — so a client generated from the OpenAPI document can send them.
/// </summary>
public static class OpenApiParameters
{
    public static RouteHandlerBuilder DocumentSelectorsAndIdempotency(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "alias", In = ParameterLocation.Query, Required = false,
                Description = "The alias whose version answers (default: champion). Excludes version.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "version", In = ParameterLocation.Query, Required = false,
                Description = "The version number that answers. Excludes alias.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            });
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = PredictEndpoint.IdempotencyHeader, In = ParameterLocation.Header, Required = false,
                Description = "1 to 255 visible ASCII characters (a UUID is ideal). The same key returns the stored answer and is billed once; a replayed answer carries Idempotent-Replayed: true.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
            });
            return Task.CompletedTask;
        });

    /// <summary>Query parameters a handler reads from the query string itself, which the generator cannot see.</summary>
    public static RouteHandlerBuilder DocumentQuery(this RouteHandlerBuilder endpoint, params (string Name, JsonSchemaType Type, string Description)[] parameters) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, type, description) in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name, In = ParameterLocation.Query, Required = false, Description = description,
                    Schema = new OpenApiSchema { Type = type, Format = name is "from" or "to" ? "date" : null },
                });
            }

            return Task.CompletedTask;
        });
}
