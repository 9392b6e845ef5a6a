using Anvil.Export;
using Anvil.Training.Models;
using Anvil.Training.Runs;
using Anvil.Training.Tuning;
using Microsoft.ML.OnnxRuntime;

namespace Anvil.Cli.Commands;

/// <summary>
/// A tuning trial's model measured as <c>compress</c> measures one: exported to ONNX (bytes: the graph's file size,
/// weights included), then the median of <see cref="Repetitions"/> batch-1 runs in ONNX Runtime on one fixed
/// pseudo-random sample of the model's input kind (dense kernels take the same time whatever the values): pixels or
/// features, a series window, or token ids of the full length (no padding, the slowest case of a recurrent model).
/// </summary>
internal sealed class TuneMeasurement(IRunRecorder recorder) : IModelMeasurement
{
    // ~0.1-1 ms each for the small models a study compares: a few hundred runs take well under a second.
    private const int Repetitions = 301;

    public IReadOnlyDictionary<string, double> Measure(string runId, IReadOnlyList<string> metrics)
    {
        var artifacts = new RunArtifacts(recorder.GetRun(runId).ArtifactsDirectory);
        var spec = artifacts.LoadSpec();
        byte[] onnx;
        using (var model = artifacts.LoadModel(spec))
            onnx = OnnxExporter.ToBytes(model);
        var values = new Dictionary<string, double>();
        if (metrics.Contains(Objective.Bytes))
            values[Objective.Bytes] = onnx.LongLength;
        if (metrics.Contains(Objective.LatencyMs))
        {
            using var session = new InferenceSession(onnx);
            using var input = Sample(spec);
            using var options = new RunOptions();
            var output = OnnxExporter.OutputNameOf(spec);
            values[Objective.LatencyMs] = CompressMeasurement.MedianMilliseconds(() =>
            {
                using var outputs = session.Run(options, [OnnxExporter.InputName], [input], [output]);
            }, Repetitions);
        }
        return values;
    }

    // One sample (batch 1) of the graph's input: int64 token ids for a text model, float32 otherwise.
    private static OrtValue Sample(ModelSpec spec)
    {
        var random = new Random(0);
        long[] shape = [1, .. spec.InputShape.Select(d => (long)d)];
        var size = spec.InputShape.Aggregate(1, (a, b) => a * b);
        if (InputKinds.Of(spec) == InputKinds.Tokens)
        {
            var vocabulary = spec.Layers[0].VocabularySize!.Value; // a token model's first layer is its embedding
            var ids = new long[size];
            for (var i = 0; i < size; i++)
                ids[i] = random.NextInt64(1, vocabulary); // never the pad id 0: every sequence full length
            return OrtValue.CreateTensorValueFromMemory(ids, shape);
        }
        var sample = new float[size];
        for (var i = 0; i < size; i++)
            sample[i] = random.NextSingle();
        return OrtValue.CreateTensorValueFromMemory(sample, shape);
    }
}
