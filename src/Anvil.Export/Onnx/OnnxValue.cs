namespace Anvil.Export.Onnx;

/// <summary>A graph input or output: its element type (<see cref="OnnxElementType"/>) and shape.</summary>
internal sealed record OnnxValue(string Name, int ElementType, IReadOnlyList<OnnxDimension> Shape);
