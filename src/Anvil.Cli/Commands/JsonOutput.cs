using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Cli.Commands;

/// <summary>The one JSON style of --json output: snake_case, NaN allowed, one line.</summary>
internal static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The same style, indented, for files people read (artifacts).</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
