using System.Text.Json;
using Anvil.Registry.Versions;
using static Anvil.Serving.Inputs.JsonInputs;

namespace Anvil.Serving.Inputs;

/// <summary>
/// One sample of a CSV-trained model sent by column name, <c>{"age": 41, "income": null}</c>, cleaned
/// as training cleaned its rows: a missing or null value takes the column's fitted fill, then every
/// value is clipped to the fitted bounds, in double precision and then rounded to float32, as the CSV
/// reader does. The values go in the graph's column order, whatever order the object lists them in.
/// </summary>
internal static class NamedFeatures
{
    /// <summary>Reads the object the reader is on (its StartObject) through its EndObject and appends one value per column.</summary>
    public static void Read(ref Utf8JsonReader reader, IReadOnlyList<ModelColumn> columns, string path, List<float> values)
    {
        var given = new double?[columns.Count];
        var seen = new bool[columns.Count];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var column = IndexOf(columns, name);
            if (column < 0)
                throw Bad($"{path} has the feature '{name}', which the model does not know; its features are {string.Join(", ", columns.Select(c => c.Name))}.");
            if (seen[column])
                throw Bad($"{path} gives the feature '{name}' twice.");
            seen[column] = true;
            reader.Read();
            given[column] = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.Number when reader.TryGetDouble(out var value) && double.IsFinite(value) => value,
                JsonTokenType.Number => throw Bad($"{path}.{name} is outside the range of a finite number."),
                _ => throw Bad($"{path}.{name} must be a number or null (missing), not {Describe(reader.TokenType)}."),
            };
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            throw Bad($"{path} is cut off.");
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var value = given[i] ?? column.Fill
                ?? throw Bad($"{path} has no value for '{column.Name}', and the model was trained without a fill value for it (--missing-values fail or drop-row); send a number.");
            values.Add((float)Math.Clamp(value, column.Lower ?? double.MinValue, column.Upper ?? double.MaxValue));
        }
    }

    private static int IndexOf(IReadOnlyList<ModelColumn> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
            if (string.Equals(columns[i].Name, name, StringComparison.Ordinal))
                return i;
        return -1;
    }
}
