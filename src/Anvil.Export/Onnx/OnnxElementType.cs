namespace Anvil.Export.Onnx;

/// <summary>The TensorProto.DataType values this exporter writes (onnx.proto numbering).</summary>
internal static class OnnxElementType
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;
}
