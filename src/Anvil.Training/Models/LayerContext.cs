namespace Anvil.Training.Models;

/// <summary>A layer with what the builder knows about its position: index, input shape, class count.</summary>
internal sealed record LayerContext(int Index, LayerSpec Layer, long[] InputShape, int ClassCount, bool IsLast, bool IsLastDense)
{
    public InvalidDataException Error(string message) =>
        new($"Layer {Index} ({Layer.Type}) with input shape [{string.Join(", ", InputShape)}]: {message}");

    public int Required(int? value, string field) =>
        value is > 0 ? value.Value : throw Error($"\"{field}\" must be a positive integer, got {(value is null ? "nothing" : value.ToString())}.");

    public (long C, long H, long W) RequireImage()
    {
        if (InputShape.Length != 3)
            throw Error("expects an image-shaped input [C, H, W]; this layer cannot follow a flatten or dense layer.");
        return (InputShape[0], InputShape[1], InputShape[2]);
    }
}
