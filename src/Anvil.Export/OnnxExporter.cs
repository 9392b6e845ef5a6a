using Anvil.Export.Onnx;
using Anvil.Training.Models;

namespace Anvil.Export;

/// <summary>
/// Writes a trained <see cref="SpecModel"/> as an ONNX file that ONNX Runtime (or any opset-17
/// runtime) can serve without TorchSharp. The graph takes raw inputs and returns class probabilities, or values for a regressor.
/// </summary>
/// <example>
/// <code>
/// using var model = ModelBuilder.Build(spec);   // then train, or load a checkpoint
/// OnnxExporter.Export(model, "model.onnx");
/// </code>
/// </example>
public static class OnnxExporter
{
    /// <summary>Name of the graph input.</summary>
    public const string InputName = "input";

    /// <summary>Name of a classifier's graph output: class probabilities.</summary>
    public const string OutputName = "probabilities";

    /// <summary>Name of a regressor's graph output: values in the targets' original unit.</summary>
    public const string ValuesName = "values";

    /// <summary>Name of a generator's graph output: images (B, C, H, W) with pixel values in [0, 1].</summary>
    public const string ImageName = "image";

    /// <summary>The graph output's name for the spec's head.</summary>
    public static string OutputNameOf(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Head switch
        {
            Anvil.Training.Data.TaskKind.Regression => ValuesName,
            Anvil.Training.Data.TaskKind.Generation => ImageName,
            _ => OutputName,
        };
    }

    /// <summary>Name of the symbolic batch dimension of the input and the output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>Name of the symbolic length dimension of a token or series input.</summary>
    public const string SequenceDimension = "sequence";

    /// <summary>
    /// Writes <paramref name="model"/> as an ONNX file (opset 17) at <paramref name="path"/>.
    /// The graph is the model in eval mode whatever mode it is in now: batch norm uses the running
    /// statistics, dropout is the identity.
    /// </summary>
    /// <remarks>
    /// <para><b>Input</b> <c>"input"</c>: float32 [batch, ...<see cref="ModelSpec.InputShape"/>] holding
    /// <b>raw</b> values, exactly what a client has: 8-bit pixel values 0..255 as floats for images
    /// ([C, H, W], channels R, G, B or one grey channel), the CSV's numeric feature values for
    /// feature vectors ([F]). Series are float32 [batch, sequence, F] and token ids int64
    /// [batch, sequence], right-padded with 0, of any length; each sequence's length (its non-pad
    /// ids, at least 1) is computed in the graph, so padding does not change the output.</para>
    /// <para>The spec's <see cref="ModelSpec.Preprocessing"/> is the graph's first nodes, in training's
    /// order: multiply by <see cref="PreprocessingSpec.Scale"/> (1/255 is written as a division by 255,
    /// as the data readers compute it), subtract <see cref="PreprocessingSpec.Mean"/>, divide by
    /// <see cref="PreprocessingSpec.Std"/>, per channel for images and per feature for vectors.
    /// Without preprocessing the input goes to the first layer unchanged.</para>
    /// <para><b>Output</b> of a classifier, <c>"probabilities"</c>: float32 [batch, classes], the softmax of
    /// the logits (applied once, also when the last layer declares "softmax"). Of a regressor
    /// (<see cref="ModelSpec.Head"/> regression), <c>"values"</c>: float32 [batch, outputs] in the targets'
    /// original unit (the last layer's outputs × <see cref="PreprocessingSpec.TargetStd"/> +
    /// <see cref="PreprocessingSpec.TargetMean"/>), no softmax. Class (or target) names are in the model
    /// metadata under <c>class_names</c> (a JSON array) and the full spec under <c>anvil_spec</c>.</para>
    /// </remarks>
    /// <exception cref="NotSupportedException">A layer type or activation the exporter cannot write; the message names the layer index and type.</exception>
    public static void Export(SpecModel model, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, ToBytes(model));
    }

    /// <summary>The ONNX file <see cref="Export"/> writes, as bytes.</summary>
    /// <exception cref="NotSupportedException">A layer type or activation the exporter cannot write; the message names the layer index and type.</exception>
    public static byte[] ToBytes(SpecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = new ModelWeights(model.state_dict());
        return OnnxModelWriter.Write(SpecGraphBuilder.Build(model.Spec, weights));
    }
}
