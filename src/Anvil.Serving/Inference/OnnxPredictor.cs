using Anvil.Registry.Versions;
using Microsoft.ML.OnnxRuntime;

namespace Anvil.Serving.Inference;

/// <summary>
/// One ONNX Runtime session for one model version, sized from its signature: float32 (images, feature
/// vectors, series) or int64 (token ids) samples in, <see cref="Outputs"/> floats per sample out (class
/// probabilities or a regressor's values). Not thread-safe by design — its <see cref="AdaptiveBatcher"/>
/// is the only caller. The session is created from model.onnx's bytes read once and checked against the
/// signed manifest (never from the path, which could change between the check and the load), and runs on
/// the process-wide pool of <see cref="OnnxThreads"/>.
/// </summary>
public sealed class OnnxPredictor : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _sampleShape;

    public OnnxPredictor(VerifiedModelVersion version, int threads)
    {
        ArgumentNullException.ThrowIfNull(version);
        var signature = version.Manifest.Signature;
        if (signature.Inputs.Count != 1 || signature.Outputs.Count != 1)
            throw new InvalidDataException($"Model version '{version.Directory}' has {signature.Inputs.Count} inputs and {signature.Outputs.Count} outputs; serving runs models with exactly one of each.");
        _sampleShape = SampleShapeOf(version);
        SampleSize = checked((int)_sampleShape.Aggregate(1L, (a, b) => a * b));
        ElementType = signature.Inputs[0].Dtype switch
        {
            "float32" => typeof(float),
            "int64" => typeof(long),
            var other => throw new InvalidDataException($"Model version '{version.Directory}' takes {other} inputs; serving runs float32 or int64 inputs."),
        };
        Outputs = OutputWidthOf(version);
        _inputNames = [signature.Inputs[0].Name];
        _outputNames = [signature.Outputs[0].Name];

        var onnx = version.ReadOnnx();
        using var options = OnnxThreads.NewSessionOptions(threads);
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
        options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
        options.InterOpNumThreads = 1;
        // ORT's worker threads spin between kernels by default; in a server that burns the cores
        // Kestrel and the ledger need while the batcher waits for the next batch.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(onnx, options);
    }

    /// <summary>The shape of one sample, without the batch: a sequence's symbolic length is the manifest's window or max_length.</summary>
    public IReadOnlyList<long> SampleShape => _sampleShape;

    /// <summary>Number of values in one sample (product of <see cref="SampleShape"/>).</summary>
    public int SampleSize { get; }

    /// <summary><c>float</c> or <c>long</c>: the element type of the arrays <see cref="Run"/> takes.</summary>
    public Type ElementType { get; }

    /// <summary>Number of output values per sample: class probabilities, or a regressor's values (e.g. a forecast horizon).</summary>
    public int Outputs { get; }

    /// <summary>A buffer for <paramref name="samples"/> samples of <see cref="ElementType"/>.</summary>
    public Array NewInput(int samples) =>
        ElementType == typeof(long) ? new long[checked(samples * SampleSize)] : new float[checked(samples * SampleSize)];

    /// <summary>
    /// Runs <paramref name="count"/> samples laid out back to back in <paramref name="input"/> (a float[] or
    /// long[] as <see cref="ElementType"/> says) and writes count × <see cref="Outputs"/> values into <paramref name="output"/>.
    /// </summary>
    public void Run(Array input, int count, Span<float> output)
    {
        long[] shape = [count, .. _sampleShape];
        var length = count * SampleSize;
        using var value = input switch
        {
            float[] floats when ElementType == typeof(float) => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, floats.AsMemory(0, length), shape),
            long[] ids when ElementType == typeof(long) => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, length), shape),
            _ => throw new ArgumentException($"This model takes {ElementType.Name} samples, not {input.GetType().Name}.", nameof(input)),
        };
        using var results = _session.Run(_runOptions, _inputNames, [value], _outputNames);
        var values = results[0].GetTensorDataAsSpan<float>();
        if (values.Length != count * Outputs)
            throw new InvalidDataException($"The model returned {values.Length} values for {count} samples; its signature promises {Outputs} per sample.");
        values.CopyTo(output);
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    // The signature declares a sequence's length as -1 (the graph takes any); serving feeds exactly the
    // length the model was trained on: the series window T or the tokenizer's max_length.
    private static long[] SampleShapeOf(VerifiedModelVersion version)
    {
        var manifest = version.Manifest;
        long[] shape = [.. manifest.Signature.Inputs[0].Shape.Skip(1).Select(d => d == -1 ? manifest.Preprocessing.SequenceLength : d)];
        if (shape.Length == 0 || shape.Any(d => d <= 0))
            throw new InvalidDataException($"Model version '{version.Directory}' declares input shape [{string.Join(", ", manifest.Signature.Inputs[0].Shape)}] with sequence_length {manifest.Preprocessing.SequenceLength}; serving needs every sample dimension fixed and positive.");
        return shape;
    }

    private static int OutputWidthOf(VerifiedModelVersion version)
    {
        var signature = version.Manifest.Signature;
        var shape = signature.Outputs[0].Shape;
        if (version.Manifest.OutputKind == ModelManifest.Image) // a generator: (batch, C, H, W) pixels per sample, no labels
            return checked((int)shape.Skip(1).Aggregate(1L, (a, b) => a * b));
        if (shape.Count != 2 || shape[1] <= 0 || shape[1] != signature.ClassLabels.Count)
            throw new InvalidDataException($"Model version '{version.Directory}' declares output shape [{string.Join(", ", shape)}] for {signature.ClassLabels.Count} labels; serving needs [batch, labels].");
        return (int)shape[1];
    }
}
