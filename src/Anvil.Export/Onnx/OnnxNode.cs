namespace Anvil.Export.Onnx;

/// <summary>One operator of the default ONNX domain with its named inputs, single output and attributes.</summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, string Output, IReadOnlyList<OnnxAttribute> Attributes);
