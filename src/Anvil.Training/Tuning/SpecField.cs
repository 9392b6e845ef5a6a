using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Anvil.Training.Models;

namespace Anvil.Training.Tuning;

/// <summary>
/// A search-space parameter that sets a field of one layer of the trial's model spec, written
/// <c>spec.layers[INDEX].FIELD</c> with a 0-based layer index and the field's snake_case name as in spec files,
/// e.g. <c>spec.layers[0].filters</c> or <c>spec.layers[6].rate</c>. The base spec is the recipe's model (a
/// built-in name or a spec file); the trial trains that spec with the field replaced.
/// </summary>
/// <example>
/// <code>var field = SpecField.Parse("spec.layers[0].filters"); // Layer 0, Field "filters"</code>
/// </example>
public sealed partial record SpecField(int Layer, string Field)
{
    /// <summary>What every spec parameter's name starts with.</summary>
    public const string Prefix = "spec.";

    /// <summary>True when <paramref name="name"/> names a spec field rather than a recipe field.</summary>
    public static bool IsSpecField(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The layer and field <paramref name="name"/> names; a user error when it is not of the form spec.layers[N].field.</summary>
    public static SpecField Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = Syntax().Match(name);
        if (!match.Success)
            throw new InvalidDataException($"Invalid study: space.{name} is not a spec field; write spec.layers[INDEX].FIELD with a 0-based layer index, e.g. spec.layers[0].filters.");
        return new SpecField(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value);
    }

    /// <summary>Checks that <paramref name="layers"/> (the base spec's) has this layer and that its type reads this field.</summary>
    public void Check(string name, IReadOnlyList<LayerSpec> layers, string model)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (Layer >= layers.Count)
            throw new InvalidDataException($"Invalid study: space.{name}: model '{model}' has layers 0 to {layers.Count - 1}, not {Layer}; use an index in that range.");
        var type = layers[Layer].Type;
        var fields = LayerFields.Of(type);
        if (!fields.Contains(Field))
            throw new InvalidDataException($"Invalid study: space.{name}: layer {Layer} of '{model}' is a {type}, which has no field '{Field}'; "
                + (fields.Count == 0 ? "it has no fields to tune, choose another layer." : $"use one of {string.Join(", ", fields)}."));
    }

    /// <summary>
    /// <paramref name="spec"/> with each field set, validated as any spec is (unknown fields, shapes, each layer's
    /// own checks); a user error naming the parameter and the spec's message when the spec refuses a value.
    /// </summary>
    public static ModelSpec Apply(ModelSpec spec, IReadOnlyList<(string Name, JsonNode? Value)> fields)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(fields);
        var json = JsonNode.Parse(spec.ToJson())!.AsObject();
        var layers = json["layers"]!.AsArray();
        foreach (var (name, value) in fields)
        {
            var field = Parse(name);
            field.Check(name, spec.Layers, spec.Name);
            layers[field.Layer]![field.Field] = value?.DeepClone();
        }
        try
        {
            return ModelSpec.Parse(json.ToJsonString(), $"model '{spec.Name}'");
        }
        catch (InvalidDataException e)
        {
            var given = string.Join(", ", fields.Select(f => $"{f.Name} = {f.Value?.ToJsonString() ?? "null"}"));
            throw new InvalidDataException($"Invalid study: {given}: {e.Message} Narrow the range in the study's space.", e);
        }
    }

    [GeneratedRegex(@"^spec\.layers\[(\d{1,4})\]\.([a-z_]+)$")]
    private static partial Regex Syntax();
}
