using Google.Protobuf;
using Onnx;

namespace Anvil.Export.Quantisation;

/// <summary>
/// Rewrites an ONNX graph written by <see cref="OnnxExporter"/> into an int8 one for ONNX Runtime's
/// CPU: batch norms folded into their convolutions first, then Conv and Gemm (dense) quantised with
/// int8 weights per output channel. Everything else (preprocessing, pooling, GELU/tanh/sigmoid, a
/// standalone batch norm, softmax) stays float. Inputs, outputs and metadata are unchanged, so the
/// result serves exactly like the float file. Recurrent and token models are refused.
/// </summary>
/// <example>
/// <code>
/// var dynamicInt8 = Int8Quantiser.Dynamic(File.ReadAllBytes("model.onnx"));
/// var staticInt8 = Int8Quantiser.Static(File.ReadAllBytes("model.onnx"), new CalibrationSet(pixels, [1, 28, 28], 256));
/// </code>
/// </example>
public static class Int8Quantiser
{
    /// <summary>Metadata key naming the quantisation method ("int8-dynamic" or "int8-static") in the result.</summary>
    public const string MethodMetadata = "anvil_quantisation";

    // Operators of the recurrent and token models (docs/decisions/0004): their int8 forms are not written.
    private static readonly string[] Refused = ["LSTM", "GRU", "Gather"];

    /// <summary>Dynamic int8: int8 weights, activations quantised at run time; needs no data.</summary>
    /// <exception cref="NotSupportedException">The graph has recurrent layers or an embedding.</exception>
    public static byte[] Dynamic(byte[] onnx) => Rewrite(onnx, "int8-dynamic", (graph, _) => DynamicQuantiser.Quantise(graph));

    /// <summary>Static int8 (QDQ) with activation ranges measured on <paramref name="calibration"/> (min/max).</summary>
    /// <exception cref="ArgumentException">The calibration set is empty or its sample shape is not the graph's input.</exception>
    /// <exception cref="NotSupportedException">The graph has recurrent layers or an embedding.</exception>
    public static byte[] Static(byte[] onnx, CalibrationSet calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        if (calibration.Count <= 0)
            throw new ArgumentException("Static int8 quantisation needs calibration samples, got 0; pass a calibration size of at least 1 (a few hundred training samples is typical).", nameof(calibration));
        if ((long)calibration.Inputs.Length != calibration.Count * calibration.SampleSize)
            throw new ArgumentException($"The calibration set holds {calibration.Inputs.Length} values, not {calibration.Count} samples of [{string.Join(", ", calibration.SampleShape)}].", nameof(calibration));
        return Rewrite(onnx, "int8-static", (graph, model) => StaticQuantiser.Quantise(graph, model, calibration));
    }

    private static byte[] Rewrite(byte[] onnx, string method, Action<QuantGraph, ModelProto> quantise)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        var model = ModelProto.Parser.ParseFrom(onnx);
        if (model.Graph.Node.FirstOrDefault(n => Refused.Contains(n.OpType)) is { } refused)
            throw new NotSupportedException(
                $"This model has a {refused.OpType} node (a recurrent layer or an embedding); int8 quantisation covers conv2d and dense models only, so compress an image or feature model.");
        var graph = new QuantGraph(model.Graph);
        BatchNormFolding.Fold(graph);
        quantise(graph, model.Clone());
        model.MetadataProps.Add(new StringStringEntryProto { Key = MethodMetadata, Value = method });
        return model.ToByteArray();
    }
}
