namespace Anvil.Training.Models;

/// <summary>
/// A layer with what the builder knows about its position: index, input shape, class count, and
/// whether its input is still the model's token ids, and whether the model reads a series (every sample T steps long).
/// </summary>
internal sealed record LayerContext(int Index, LayerSpec Layer, long[] InputShape, int ClassCount, bool IsLast, bool IsLastDense, bool IsTokenIds = false, bool IsSeries = false)
{
    public InvalidDataException Error(string message) =>
        new($"Layer {Index} ({Layer.Type}) with input shape [{string.Join(", ", InputShape)}]: {message}");

    public int Required(int? value, string field) =>
        value is > 0 ? value.Value : throw Error($"\"{field}\" must be a positive integer, got {(value is null ? "nothing" : value.ToString())}.");

    public (long C, long H, long W) RequireImage()
    {
        if (InputShape.Length != 3)
            throw Error("expects an image-shaped input [C, H, W]; this layer cannot follow a flatten, dense, embedding or recurrent layer.");
        return (InputShape[0], InputShape[1], InputShape[2]);
    }

    /// <summary>(steps, features) of a sequence input [T, F].</summary>
    public (long T, long F) RequireSequence()
    {
        if (InputShape.Length != 2)
            throw Error("expects a sequence [T, F]: put it after an embedding layer, an lstm/gru with \"return_sequences\": true, or use a series input_shape [T, F].");
        return (InputShape[0], InputShape[1]);
    }

    /// <summary>The message for a layer that needs one value per sample but receives a sequence [T, F].</summary>
    public InvalidDataException SequenceError() =>
        Error("cannot take a sequence [T, F]; reduce it first with {\"type\": \"sequence_pool\", \"pooling\": \"last|mean|max\"} or an lstm/gru without \"return_sequences\"" +
            (IsSeries ? ", or flatten it (a series model reads exactly T steps)." : "."));
}
