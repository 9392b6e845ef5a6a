using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Anvil.Serving.Api;

/// <summary>
/// What one operation's examples are: request bodies by media type and name, parameter values by name, the
/// success response by name, and a detail per problem status (the others get <see cref="OpenApiExamples"/>' default).
/// </summary>
public sealed record OperationExamples
{
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, OpenApiExample>> Requests { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, OpenApiExample>>();

    public IReadOnlyDictionary<string, JsonNode> Parameters { get; init; } = new Dictionary<string, JsonNode>();

    public IReadOnlyDictionary<string, OpenApiExample> Response { get; init; } = new Dictionary<string, OpenApiExample>();

    public IReadOnlyDictionary<int, string> Problems { get; init; } = new Dictionary<int, string>();
}
