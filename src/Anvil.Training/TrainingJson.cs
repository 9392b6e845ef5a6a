using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Training;

/// <summary>
/// The one JSON style of every file Anvil.Training writes (model specs, recipes, CSV policies,
/// checkpoint state): snake_case, indented, NaN allowed, and unknown fields rejected so a typo in a
/// hand-written file is an error rather than a silently ignored setting.
/// </summary>
internal static class TrainingJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };
}
