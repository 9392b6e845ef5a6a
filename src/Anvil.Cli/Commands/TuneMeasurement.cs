using Anvil.Export;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Runs;
using Anvil.Training.Tuning;
using Microsoft.ML.OnnxRuntime;

namespace Anvil.Cli.Commands;

/// <summary>
/// A tuning trial's model measured as <c>compress</c> measures one: exported to ONNX (bytes: the graph's file size,
/// weights included), then the median of <see cref="Repetitions"/> batch-1 runs in ONNX Runtime on one fixed
/// pseudo-random sample (dense float kernels take the same time whatever the values).
/// </summary>
internal sealed class TuneMeasurement(IRunRecorder recorder) : IModelMeasurement
{
    // ~0.1-1 ms each for the small models a study compares: a few hundred runs take well under a second.
    private const int Repetitions = 301;

    public IReadOnlyDictionary<string, double> Measure(string runId, IReadOnlyList<string> metrics)
    {
        var artifacts = new RunArtifacts(recorder.GetRun(runId).ArtifactsDirectory);
        var spec = artifacts.LoadSpec();
        if (spec.Head != TaskKind.Classification || InputKinds.Of(spec) is InputKinds.Tokens or InputKinds.Series)
            throw new ArgumentException($"Run {runId} is a {(spec.Head == TaskKind.Classification ? InputKinds.Of(spec) + " model" : "regressor")}; latency_ms and bytes objectives measure image and feature classifiers only. Use validation metrics as objectives.");
        byte[] onnx;
        using (var model = artifacts.LoadModel(spec))
            onnx = OnnxExporter.ToBytes(model);
        var values = new Dictionary<string, double>();
        if (metrics.Contains(Objective.Bytes))
            values[Objective.Bytes] = onnx.LongLength;
        if (metrics.Contains(Objective.LatencyMs))
        {
            var shape = spec.InputShape.Select(d => (long)d).ToArray();
            var random = new Random(0);
            var sample = new float[spec.InputShape.Aggregate(1, (a, b) => a * b)];
            for (var i = 0; i < sample.Length; i++)
                sample[i] = random.NextSingle();
            using var session = new InferenceSession(onnx);
            values[Objective.LatencyMs] = CompressMeasurement.MedianMilliseconds(session, sample, 1, shape, Repetitions);
        }
        return values;
    }
}
