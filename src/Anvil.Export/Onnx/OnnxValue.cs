namespace Anvil.Export.Onnx;

/// <summary>A float32 graph input or output of shape [<paramref name="BatchDimension"/>, ...<paramref name="SampleShape"/>], the batch size symbolic.</summary>
internal sealed record OnnxValue(string Name, string BatchDimension, long[] SampleShape);
