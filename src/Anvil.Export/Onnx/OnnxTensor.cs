namespace Anvil.Export.Onnx;

/// <summary>
/// A named constant (a weight, a preprocessing constant, a shape or an axis list) as little-endian
/// bytes of <paramref name="ElementType"/> (<see cref="OnnxElementType"/>); <paramref name="Dims"/> empty for a scalar.
/// </summary>
internal sealed record OnnxTensor(string Name, long[] Dims, int ElementType, byte[] RawData);
