using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Anvil.Serving.Api;

/// <summary>
/// Documents a request body in the OpenAPI document without <c>Accepts</c> metadata, which would
/// make routing answer an unknown Content-Type with an empty 415 before the handler can say why.
/// </summary>
public static class OpenApiBodies
{
    public static RouteHandlerBuilder DocumentBody<TJson>(this RouteHandlerBuilder endpoint, params string[] binaryMediaTypes) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellation) =>
        {
            var content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(TJson), null, cancellation).ConfigureAwait(false) },
            };
            foreach (var mediaType in binaryMediaTypes)
                content[mediaType] = new() { Schema = mediaType == "multipart/form-data" ? Files : Bytes() };
            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
        });

    private static OpenApiSchema Bytes() => new() { Type = JsonSchemaType.String, Format = "binary" };

    // A form of files under any field name; "image" is what the examples use.
    private static OpenApiSchema Files => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema> { ["image"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Bytes() } },
        AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Bytes() },
    };
}
