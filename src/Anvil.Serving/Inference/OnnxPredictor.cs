using Anvil.Registry.Versions;
using Microsoft.ML.OnnxRuntime;

namespace Anvil.Serving.Inference;

/// <summary>
/// One ONNX Runtime session for one model version: float32 samples in, class probabilities out.
/// Not thread-safe by design — its <see cref="AdaptiveBatcher"/> is the only caller. The session is
/// created from model.onnx's bytes read once and checked against the signed manifest (never from the
/// path, which could change between the check and the load), and runs on the process-wide pool of
/// <see cref="OnnxThreads"/>.
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
        var signature = version.Manifest.Signature;
        if (signature.Inputs.Count != 1 || signature.Outputs.Count != 1)
            throw new InvalidDataException($"Model version '{version.Directory}' has {signature.Inputs.Count} inputs and {signature.Outputs.Count} outputs; serving runs models with exactly one of each.");
        _sampleShape = [.. signature.Inputs[0].Shape.Skip(1)];
        SampleSize = checked((int)_sampleShape.Aggregate(1L, (a, b) => a * b));
        Classes = signature.ClassLabels.Count;
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

    /// <summary>Number of floats in one sample (product of the input shape without the batch).</summary>
    public int SampleSize { get; }

    /// <summary>Number of class probabilities per sample.</summary>
    public int Classes { get; }

    /// <summary>
    /// Runs <paramref name="count"/> samples laid out back to back in <paramref name="input"/> and writes
    /// count × <see cref="Classes"/> probabilities into <paramref name="output"/>.
    /// </summary>
    public void Run(Memory<float> input, int count, Span<float> output)
    {
        long[] shape = [count, .. _sampleShape];
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input[..(count * SampleSize)], shape);
        using var results = _session.Run(_runOptions, _inputNames, [value], _outputNames);
        var probabilities = results[0].GetTensorDataAsSpan<float>();
        if (probabilities.Length != count * Classes)
            throw new InvalidDataException($"The model returned {probabilities.Length} values for {count} samples; its signature promises {Classes} per sample.");
        probabilities.CopyTo(output);
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
