namespace Anvil.Export.Onnx;

/// <summary>Everything written to the file: one graph with one input and one output, and string metadata.</summary>
internal sealed record OnnxModel(string Name, OnnxGraph Graph, OnnxValue Input, OnnxValue Output, IReadOnlyDictionary<string, string> Metadata);
