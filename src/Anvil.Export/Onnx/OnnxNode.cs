namespace Anvil.Export.Onnx;

/// <summary>
/// One operator of the default ONNX domain with its named inputs, outputs and attributes. An empty
/// input name skips an optional input; outputs after the last one needed are simply left off.
/// </summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes);
