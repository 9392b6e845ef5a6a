namespace Anvil.Export.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size, or a symbol (batch, sequence) that any size fills.</summary>
internal readonly record struct OnnxDimension(long Size, string? Symbol = null)
{
    public static OnnxDimension Named(string symbol) => new(0, symbol);

    public static implicit operator OnnxDimension(long size) => new(size);
}
