using System.Text.Json;

namespace Anvil.Serving.Inputs;

/// <summary>
/// Reads <c>{"inputs": [sample, ...]}</c> in one pass over the body. Each sample is nested arrays
/// shaped exactly as the signature (e.g. [1][28][28]) or one flat array of the same number of values.
/// Every error names the sample and the position that broke the shape.
/// </summary>
public static class JsonInputReader
{
    public static ModelInput Read(ReadOnlySpan<byte> body, IReadOnlyList<long> sampleShape, int maxInputs)
    {
        var sampleSize = checked((int)sampleShape.Aggregate(1L, (a, b) => a * b));
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        var values = new List<float>(sampleSize);
        var count = 0;
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "The body must be a JSON object like {\"inputs\": [...]}");
            var sawInputs = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("inputs"u8))
                    throw Bad($"Unknown field '{reader.GetString()}'; the body has one field, \"inputs\".");
                if (sawInputs)
                    throw Bad("The field \"inputs\" appears twice.");
                sawInputs = true;
                Expect(ref reader, JsonTokenType.StartArray, "\"inputs\" must be an array of samples");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (count == maxInputs)
                        throw new InputException(413, $"More than {maxInputs:N0} inputs in one request: your plan and this server allow at most {maxInputs:N0}. Split them across requests.");
                    ReadSample(ref reader, sampleShape, sampleSize, count, values);
                    count++;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
                throw Bad("The body must be a JSON object like {\"inputs\": [...]}.");
            if (reader.Read())
                throw Bad("Unexpected data after the JSON object.");
            if (!sawInputs || count == 0)
                throw Bad($"No inputs: send {{\"inputs\": [sample, ...]}} with at least one sample shaped {Shape(sampleShape)}.");
        }
        catch (JsonException e)
        {
            throw Bad($"The body is not valid JSON: {e.Message}");
        }

        return new ModelInput([.. values], count, sampleSize);
    }

    private static void ReadSample(ref Utf8JsonReader reader, IReadOnlyList<long> shape, int sampleSize, int index, List<float> values)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Bad($"inputs[{index}] must be an array shaped {Shape(shape)}, not {Describe(reader.TokenType)}.");
        var start = values.Count;
        if (!reader.Read())
            throw Bad($"inputs[{index}] is cut off.");
        if (shape.Count > 1 && reader.TokenType is JsonTokenType.Number or JsonTokenType.EndArray)
        {
            // a flat sample: exactly sampleSize numbers
            ReadNumbers(ref reader, index, "", values);
            if (values.Count - start != sampleSize)
                throw Bad($"inputs[{index}] is a flat array of {values.Count - start} numbers; the signature {Shape(shape)} needs {sampleSize} (or nested arrays of that shape).");
            return;
        }

        ReadLevel(ref reader, shape, 0, index, $"inputs[{index}]", values, alreadyInside: true);
    }

    private static void ReadLevel(ref Utf8JsonReader reader, IReadOnlyList<long> shape, int depth, int index, string path, List<float> values, bool alreadyInside)
    {
        if (!alreadyInside)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
                throw Bad($"{path} must be an array of {shape[depth]} (signature {Shape(shape)}), not {Describe(reader.TokenType)}.");
            if (!reader.Read())
                throw Bad($"{path} is cut off.");
        }

        if (depth == shape.Count - 1)
        {
            var before = values.Count;
            ReadNumbers(ref reader, index, path, values);
            if (values.Count - before != shape[depth])
                throw Bad($"{path} has {values.Count - before} numbers; the signature {Shape(shape)} needs {shape[depth]} here.");
            return;
        }

        var items = 0;
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            if (items == shape[depth])
                throw Bad($"{path} has more than {shape[depth]} items; the signature is {Shape(shape)}.");
            ReadLevel(ref reader, shape, depth + 1, index, $"{path}[{items}]", values, alreadyInside: false);
            items++;
            if (!reader.Read())
                throw Bad($"{path} is cut off.");
        }

        if (items != shape[depth])
            throw Bad($"{path} has {items} items; the signature {Shape(shape)} needs {shape[depth]} here.");
    }

    /// <summary>Reads numbers up to and including the closing bracket of the current array.</summary>
    private static void ReadNumbers(ref Utf8JsonReader reader, int index, string path, List<float> values)
    {
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
                throw Bad($"{(path.Length > 0 ? path : $"inputs[{index}]")} holds {Describe(reader.TokenType)} where a number belongs.");
            if (!reader.TryGetSingle(out var value) || !float.IsFinite(value))
                throw Bad($"{(path.Length > 0 ? path : $"inputs[{index}]")} holds a number outside float32 range.");
            values.Add(value);
            if (!reader.Read())
                throw Bad($"inputs[{index}] is cut off.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (!reader.Read() || reader.TokenType != type)
            throw Bad(message + ".");
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    internal static string Shape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static InputException Bad(string message) => new(400, message);
}
