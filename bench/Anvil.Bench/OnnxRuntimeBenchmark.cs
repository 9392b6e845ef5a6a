using System.Diagnostics;
using Anvil.Serving.Inference;

namespace Anvil.Bench;

/// <summary>
/// In-process ONNX Runtime on a registered model version, through the same <see cref="OnnxPredictor"/>
/// (same session options) the server uses: the ceiling the server's throughput is compared against.
/// </summary>
internal static class OnnxRuntimeBenchmark
{
    public static object Run(string versionDirectory, int batch, double seconds)
    {
        var version = RegisteredVersion.Open(versionDirectory);
        using var predictor = new OnnxPredictor(version, Environment.ProcessorCount);
        var random = new Random(1);
        var input = new float[batch * predictor.SampleSize];
        for (var i = 0; i < input.Length; i++)
            input[i] = random.Next(256);
        var output = new float[batch * predictor.Outputs];
        for (var i = 0; i < 20; i++)
            predictor.Run(input, batch, output); // warm-up

        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var start = Stopwatch.GetTimestamp();
            predictor.Run(input, batch, output);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        latencies.Sort();
        return new
        {
            contender = "onnxruntime-in-process",
            batch,
            images_per_second = latencies.Count * batch / clock.Elapsed.TotalSeconds,
            batch_p50_ms = latencies[latencies.Count / 2],
            batch_p99_ms = latencies[(int)(latencies.Count * 0.99)],
        };
    }
}
