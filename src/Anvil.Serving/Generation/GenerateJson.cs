using System.Text.Json;
using System.Text.Json.Serialization;
using Anvil.Serving.Api;

namespace Anvil.Serving.Generation;

/// <summary>The API's JSON style, strict for generate bodies: unknown fields and fractional numbers are errors.</summary>
internal static class GenerateJson
{
    public static JsonSerializerOptions Options { get; } = new(ApiJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
