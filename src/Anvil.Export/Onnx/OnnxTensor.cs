namespace Anvil.Export.Onnx;

/// <summary>A named float32 constant (a weight or a preprocessing constant); <paramref name="Dims"/> empty for a scalar.</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, float[] Data);
