using System.Text.Json;
using Anvil.Registry.Versions;
using static Anvil.Serving.Inputs.JsonInputs;

namespace Anvil.Serving.Inputs;

/// <summary>
/// Reads <c>{"inputs": [sample, ...]}</c> of numbers in one pass over the body. Each sample is nested arrays
/// shaped exactly as the signature (e.g. [1][28][28], or a series window [72][1]) or one flat array of the
/// same number of values. A model trained on a CSV file (its manifest lists its columns) also
/// takes a sample as an object of named features (<see cref="NamedFeatures"/>). Every error names the
/// sample and the position that broke the shape.
/// </summary>
public static class JsonInputReader
{
    /// <param name="columns">The CSV columns of a model trained on a CSV file, in the graph's order; null for other models.</param>
    public static ModelInput Read(ReadOnlySpan<byte> body, IReadOnlyList<long> sampleShape, int maxInputs, IReadOnlyList<ModelColumn>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        var sampleSize = checked((int)sampleShape.Aggregate(1L, (a, b) => a * b));
        var values = new List<float>(sampleSize);
        var sent = new List<byte[]?>();
        var count = JsonInputs.Read(body, maxInputs, $"sample shaped {Shape(sampleShape)}",
            (ref Utf8JsonReader reader, int index) => sent.Add(ReadSample(ref reader, sampleShape, sampleSize, index, values, columns)));
        return new ModelInput(values.ToArray(), count, sampleSize) { SentObjects = sent.Any(s => s is not null) ? sent : null };
    }

    /// <summary>Appends the sample's values; returns a named sample's object as sent (null for an array).</summary>
    private static byte[]? ReadSample(ref Utf8JsonReader reader, IReadOnlyList<long> shape, int sampleSize, int index, List<float> values, IReadOnlyList<ModelColumn>? columns)
    {
        if (reader.TokenType == JsonTokenType.StartObject && columns is not null)
            return NamedFeatures.Read(ref reader, columns, $"inputs[{index}]", values);
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Bad($"inputs[{index}] must be an array shaped {Shape(shape)}, not {Describe(reader.TokenType)}.");
        var start = values.Count;
        if (!reader.Read())
            throw Bad($"inputs[{index}] is cut off.");
        if (shape.Count > 1 && reader.TokenType != JsonTokenType.StartArray)
        {
            // a flat sample: exactly sampleSize numbers
            ReadNumbers(ref reader, index, "", values);
            if (values.Count - start != sampleSize)
                throw Bad($"inputs[{index}] is a flat array of {values.Count - start} numbers; the signature {Shape(shape)} needs {sampleSize} (or nested arrays of that shape).");
            return null;
        }

        ReadLevel(ref reader, shape, 0, index, $"inputs[{index}]", values, alreadyInside: true);
        return null;
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
        var where = path.Length > 0 ? path : $"inputs[{index}]";
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
                throw Bad($"{where} holds null (a gap) where a number belongs; fill gaps before sending, for example with the previous value.");
            if (reader.TokenType != JsonTokenType.Number)
                throw Bad($"{where} holds {Describe(reader.TokenType)} where a number belongs; send unquoted numbers.");
            if (!reader.TryGetSingle(out var value) || !float.IsFinite(value))
                throw Bad($"{where} holds a number outside float32 range (±3.4e38); send finite values.");
            values.Add(value);
            if (!reader.Read())
                throw Bad($"inputs[{index}] is cut off.");
        }
    }

    internal static string Shape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";
}
