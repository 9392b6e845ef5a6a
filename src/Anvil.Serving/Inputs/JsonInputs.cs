using System.Text;
using System.Text.Json;

namespace Anvil.Serving.Inputs;

/// <summary>
/// The envelope every JSON predict body shares, <c>{"inputs": [sample, ...]}</c>, read in one pass; what a
/// sample is (nested numbers, a text) is up to the caller's <see cref="SampleReader"/>.
/// </summary>
internal static class JsonInputs
{
    /// <summary>Reads sample <paramref name="index"/> from its first token and leaves the reader on its last token.</summary>
    public delegate void SampleReader(ref Utf8JsonReader reader, int index);

    /// <summary>Reads the envelope and returns the number of samples; <paramref name="sample"/> names one in errors ("text").</summary>
    public static int Read(ReadOnlySpan<byte> body, int maxInputs, string sample, SampleReader readSample)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
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
                    readSample(ref reader, count);
                    count++;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
                throw Bad("The body must be a JSON object like {\"inputs\": [...]}.");
            if (reader.Read())
                throw Bad("Unexpected data after the JSON object.");
            if (!sawInputs || count == 0)
                throw Bad($"No inputs: send {{\"inputs\": [...]}} with at least one {sample}.");
        }
        catch (JsonException e)
        {
            throw Bad($"The body is not valid JSON: {e.Message}{LiteralHint(body, reader.BytesConsumed)}");
        }

        return count;
    }

    public static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    public static InputException Bad(string message) => new(400, message);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (!reader.Read() || reader.TokenType != type)
            throw Bad(message + ".");
    }

    // NaN and Infinity are what a client's float formatter writes for a gap or an overflow; JSON has no such
    // numbers, so the parser's "invalid start of a value" would not tell the client what to fix.
    private static string LiteralHint(ReadOnlySpan<byte> body, long consumed)
    {
        var rest = body[(int)Math.Min(consumed, body.Length)..].TrimStart(" \t\r\n,:"u8);
        var word = Encoding.ASCII.GetString(rest[..Math.Min(rest.Length, 9)]);
        return word.StartsWith("NaN", StringComparison.Ordinal) || word.TrimStart('-', '+').StartsWith("Infinity", StringComparison.Ordinal)
            ? " NaN and Infinity are not numbers in JSON (nor values a model can use): fill gaps and replace overflows with real numbers before sending."
            : "";
    }
}
