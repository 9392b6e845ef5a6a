using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Anvil.Registry.Versions;
using static Anvil.Serving.Inputs.JsonInputs;

namespace Anvil.Serving.Inputs;

/// <summary>
/// One sample of a CSV-trained model sent by column name, <c>{"age": 41, "income": null}</c>, cleaned
/// as training cleaned its rows: a missing or null value takes the column's fitted fill, then every
/// value is clipped to the fitted bounds, in double precision and then rounded to float32, as the CSV
/// reader does. The values go in the graph's column order, whatever order the object lists them in; the
/// prediction log keeps the object as sent, so a logged null stays null.
/// </summary>
internal static class NamedFeatures
{
    // The log stores bytes, never HTML: feature names are kept readable rather than \u-escaped.
    private static readonly JsonWriterOptions SentJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Reads the object the reader is on (its StartObject) through its EndObject and appends one value per column.
    /// Returns the object as the caller sent it, for the prediction log: compact UTF-8 JSON with the caller's names,
    /// order, number literals and nulls, before any fill or clip.
    /// </summary>
    public static byte[] Read(ref Utf8JsonReader reader, IReadOnlyList<ModelColumn> columns, string path, List<float> values)
    {
        var given = new double?[columns.Count];
        var seen = new bool[columns.Count];
        var buffer = new ArrayBufferWriter<byte>();
        using var sent = new Utf8JsonWriter(buffer, SentJson);
        sent.WriteStartObject();
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
            sent.WritePropertyName(name);
            if (reader.TokenType == JsonTokenType.Null)
                sent.WriteNullValue();
            else
                sent.WriteRawValue(reader.ValueSpan); // the literal as sent: 41.50 stays 41.50
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
        sent.WriteEndObject();
        sent.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static int IndexOf(IReadOnlyList<ModelColumn> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
            if (string.Equals(columns[i].Name, name, StringComparison.Ordinal))
                return i;
        return -1;
    }
}
